package dev.sealgate.queue;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;

/**
 * A DNS server on loopback UDP that answers MX queries from a table, for tests of MX routing. Names
 * not in the table answer NOERROR without records; names in {@link #nxdomain} answer NXDOMAIN.
 */
public final class DnsStub implements AutoCloseable {

    private final DatagramSocket socket;
    private final Map<Name, List<Record>> mx = new ConcurrentHashMap<>();
    private final Set<Name> nxdomain = ConcurrentHashMap.newKeySet();
    private final Thread thread;

    public DnsStub() throws SocketException {
        socket = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        thread = new Thread(this::serve, "dns-stub");
        thread.setDaemon(true);
        thread.start();
    }

    /** Answers MX queries for {@code domain} with the given (preference, target) pairs. */
    public DnsStub mx(String domain, Object... preferenceAndTarget) throws TextParseException {
        Name name = Name.fromString(domain, Name.root);
        List<Record> records = new java.util.ArrayList<>();
        for (int i = 0; i < preferenceAndTarget.length; i += 2) {
            records.add(new MXRecord(name, DClass.IN, 60, (Integer) preferenceAndTarget[i],
                    Name.fromString((String) preferenceAndTarget[i + 1], Name.root)));
        }
        mx.put(name, records);
        return this;
    }

    public DnsStub nxdomain(String domain) throws TextParseException {
        nxdomain.add(Name.fromString(domain, Name.root));
        return this;
    }

    /** A resolver that asks only this stub. */
    public SimpleResolver resolver() throws java.net.UnknownHostException {
        SimpleResolver r = new SimpleResolver(InetAddress.getLoopbackAddress());
        r.setPort(socket.getLocalPort());
        r.setTimeout(java.time.Duration.ofSeconds(2));
        return r;
    }

    private void serve() {
        byte[] buffer = new byte[512];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Record question = query.getQuestion();
                Message response = new Message(query.getHeader().getID());
                response.getHeader().setFlag(Flags.QR);
                response.getHeader().setFlag(Flags.AA);
                response.addRecord(question, Section.QUESTION);
                if (nxdomain.contains(question.getName())) {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                } else {
                    mx.getOrDefault(question.getName(), List.of()).forEach(r -> response.addRecord(r, Section.ANSWER));
                }
                byte[] wire = response.toWire();
                socket.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                if (socket.isClosed()) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
