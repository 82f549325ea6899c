package dev.sealgate.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.eclipse.angus.mail.smtp.SMTPTransport;
import org.junit.jupiter.api.Test;

/**
 * The socket of a connection to a next hop has Nagle's algorithm off (ADR 0211). With it on, the end of
 * DATA, a small write after the body, waited for the next hop's delayed ACK (40 ms on Linux), and that
 * wait, not the CPU, limited delivery in the SMTP bench. The option cannot be seen from the peer, so
 * the test reads the socket the transport holds.
 */
class NextHopConnectionSocketTest {

    @Test
    void shouldSendToTheNextHopWithoutWaitingForAcks() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> answerEhloOnce(server), "next-hop-stub");
            peer.setDaemon(true);
            peer.start();
            NextHopConnection connection = NextHopConnection.open("127.0.0.1", server.getLocalPort(), "gw.test", false, 10_000);
            try {
                Field field = SMTPTransport.class.getDeclaredField("serverSocket");
                field.setAccessible(true);
                Socket socket = (Socket) field.get(connection);
                assertThat(socket.isConnected()).isTrue();
                assertThat(socket.getTcpNoDelay()).as("TCP_NODELAY on the next hop's socket").isTrue();
            } finally {
                connection.close();
            }
        }
        try (Socket plain = new Socket()) {
            assertThat(plain.getTcpNoDelay()).as("a plain socket, as Angus makes it without our factory, has Nagle on").isFalse();
        }
    }

    private static void answerEhloOnce(ServerSocket server) {
        try (Socket s = server.accept()) {
            OutputStream out = s.getOutputStream();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            out.write("220 stub ESMTP\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.toUpperCase(java.util.Locale.ROOT);
                if (command.startsWith("EHLO") || command.startsWith("HELO")) {
                    out.write("250 stub\r\n".getBytes(StandardCharsets.US_ASCII));
                } else if (command.startsWith("QUIT")) {
                    out.write("221 bye\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    return;
                } else {
                    out.write("250 ok\r\n".getBytes(StandardCharsets.US_ASCII));
                }
                out.flush();
            }
        } catch (java.io.IOException e) {
            // the client went away: nothing to answer
        }
    }
}
