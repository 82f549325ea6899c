package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RFC 6152 towards the next hop: BODY=8BITMIME where the next hop offers it and the content is 8 bit;
 * 8-bit content converted to quoted-printable for a next hop without 8BITMIME; signed content never
 * converted (ADR 0089).
 */
class EightBitMimeTest {

    private static final String EIGHT_BIT = "From: <alice@partner.example>\r\nSubject: greetings\r\nMIME-Version: 1.0\r\n"
            + "Message-ID: <8bit-1@partner.example>\r\nContent-Type: text/plain; charset=utf-8\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\nGrüße aus Zürich\r\n";

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @AfterEach
    void stop() {
        gateway.close();
        sink.close();
    }

    @Test
    void shouldConvertEightBitContentToQuotedPrintableForANextHopWithout8BitMime() throws Exception {
        sink = SmtpSink.without8BitMime();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();
        send(EIGHT_BIT);

        SmtpSink.Received received = sink.awaitMessages(1, Duration.ofSeconds(10)).get(0);
        assertThat(received.text().chars().allMatch(ch -> ch < 128)).as("7 bit only").isTrue();
        assertThat(received.text()).contains("Content-Transfer-Encoding: quoted-printable").contains("Gr=C3=BC=C3=9Fe aus Z=C3=BCrich")
                .contains("Message-ID: <8bit-1@partner.example>");
        assertThat(sink.commandLines()).filteredOn(l -> l.startsWith("MAIL")).singleElement()
                .satisfies(l -> assertThat(l).doesNotContain("BODY="));
    }

    @Test
    void shouldPassBody8BitMimeToANextHopThatOffersIt() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();
        send(EIGHT_BIT);

        SmtpSink.Received received = sink.awaitMessages(1, Duration.ofSeconds(10)).get(0);
        assertThat(received.text()).contains("Grüße aus Zürich").contains("Content-Transfer-Encoding: 8bit");
        assertThat(sink.commandLines()).filteredOn(l -> l.startsWith("MAIL")).singleElement()
                .satisfies(l -> assertThat(l).contains("BODY=8BITMIME"));
    }

    @Test
    void shouldDeclareNoBodyForSevenBitContent() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();
        send("Subject: plain\r\n\r\nonly ascii\r\n");

        sink.awaitMessages(1, Duration.ofSeconds(10));
        assertThat(sink.commandLines()).filteredOn(l -> l.startsWith("MAIL")).singleElement()
                .satisfies(l -> assertThat(l).doesNotContain("BODY="));
    }

    @Test
    void shouldNeverConvertSignedContent() throws Exception {
        sink = SmtpSink.without8BitMime();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();
        String signed = "From: <alice@partner.example>\r\nSubject: signed\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=\"b1\"\r\n\r\n"
                + "--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n"
                + "--b1\r\nContent-Type: application/pkcs7-signature; name=smime.p7s\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + "MIAGCSqGSIb3DQEHAqCAMIACAQExDzANBglghkgBZQMEAgEFADCABgkqhkiG9w0BBwEAAA==\r\n--b1--\r\n";
        send(signed);

        SmtpSink.Received received = sink.awaitMessages(1, Duration.ofSeconds(10)).get(0);
        assertThat(received.text()).as("the signed bytes arrive unchanged").contains("Content-Transfer-Encoding: 8bit\r\n\r\nGrüße\r\n--b1");
    }

    private void send(String message) throws Exception {
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            assertThat(c.command("MAIL FROM:<alice@partner.example> BODY=8BITMIME")).startsWith("250");
            assertThat(c.command("RCPT TO:<bob@corp.example>")).startsWith("250");
            assertThat(c.command("DATA")).startsWith("354");
            assertThat(c.send(message + ".\r\n")).startsWith("250");
        }
    }
}
