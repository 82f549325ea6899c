package dev.sealgate.smtp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.queue.HeldMessage;
import dev.sealgate.tracking.MessageStatus;
import dev.sealgate.tracking.RecipientStatus;
import dev.sealgate.tracking.TrackingRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Delivery to the next hop: DSN parameters passed on, notices where the next hop lacks DSN,
 * bounces, retries, held mail and the pipeline's extension point.
 */
class DeliveryTest {

    @TempDir
    Path dataDir;

    private SmtpSink sink;
    private GatewayHarness gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void shouldPassDsnParametersToANextHopThatOffersDsn() throws Exception {
        sink = SmtpSink.withDsn();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();

        String id = sendFromCompany("MAIL FROM:<ceo@corp.example> RET=HDRS ENVID=QQ314159",
                List.of("RCPT TO:<partner@partner.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;partner@partner.example"));

        sink.await(m -> m.recipients().contains("partner@partner.example"), 1, Duration.ofSeconds(10));
        // 7-bit content: no BODY=8BITMIME, which declares 8-bit octets (RFC 6152, ADR 0089)
        assertThat(sink.commandLines()).contains("MAIL FROM:<ceo@corp.example> RET=HDRS ENVID=QQ314159",
                "RCPT TO:<partner@partner.example> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;partner@partner.example");
        Thread.sleep(300);
        assertThat(sink.messages()).as("the next hop offers DSN: the gateway itself sends no notice").hasSize(1);
        assertThat(awaitStatus(id, MessageStatus.Success).recipients()).singleElement()
                .satisfies(r -> assertThat(r.status()).isEqualTo(RecipientStatus.DELIVERED));
    }

    @Test
    void shouldSendAMessageDeliveredViaRelayNoticeWhenTheNextHopLacksDsn() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();

        sendFromCompany("MAIL FROM:<ceo@corp.example> ENVID=ENV-7", List.of(
                "RCPT TO:<partner@partner.example> NOTIFY=SUCCESS ORCPT=rfc822;partner@partner.example",
                "RCPT TO:<other@partner.example>"));

        SmtpSink.Received notice = sink.await(m -> m.sender().isEmpty(), 1, Duration.ofSeconds(10)).get(0);
        assertThat(notice.recipients()).containsExactly("ceo@corp.example");
        assertThat(notice.text()).contains("Subject: Message delivered via relay: quarterly report",
                "Content-Type: multipart/report; report-type=delivery-status", "Original-Envelope-Id: ENV-7",
                "Original-Recipient: rfc822;partner@partner.example", "Final-Recipient: rfc822; partner@partner.example",
                "Action: relayed", "Status: 2.0.0", "Content-Type: text/rfc822-headers", "Subject: quarterly report")
                .doesNotContain("other@partner.example");
        assertThat(sink.commandLines()).noneMatch(l -> l.contains("NOTIFY="));
    }

    @Test
    void shouldBounceAPermanentFailureWithTheOriginalHeaders() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();

        String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<rejectme@partner.example>",
                "RCPT TO:<fine@partner.example>"));

        SmtpSink.Received bounce = sink.await(m -> m.sender().isEmpty(), 1, Duration.ofSeconds(10)).get(0);
        assertThat(bounce.recipients()).containsExactly("ceo@corp.example");
        assertThat(bounce.text()).contains("Subject: Undeliverable: quarterly report", "Action: failed", "Status: 5.1.1",
                "Diagnostic-Code: smtp; 550 5.1.1 <rejectme@partner.example>: user unknown", "Remote-MTA: dns; " + sink.hostAndPort(),
                "Subject: quarterly report").doesNotContain("The figures");
        TrackingRecord record = awaitStatus(id, MessageStatus.PartialSuccess);
        assertThat(record.attempts()).extracting(TrackingRecord.Attempt::outcome).contains("DELIVERED", "FAILED");
    }

    @Test
    void shouldReturnTheFullMessageWhenRetFullAndSendNothingForNotifyNever() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();

        sendFromCompany("MAIL FROM:<ceo@corp.example> RET=FULL", List.of("RCPT TO:<rejectme@partner.example>"));
        assertThat(sink.await(m -> m.sender().isEmpty(), 1, Duration.ofSeconds(10)).get(0).text())
                .contains("Content-Type: message/rfc822", "The figures");

        String silent = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<rejectme2@partner.example> NOTIFY=NEVER"));
        awaitStatus(silent, MessageStatus.PermanentlyBlocked);
        Thread.sleep(300);
        assertThat(sink.messages()).filteredOn(m -> m.sender().isEmpty()).hasSize(1);
    }

    @Test
    void shouldRetryAfterATemporaryFailureAndThenDeliver() throws Exception {
        sink = SmtpSink.plain();
        sink.deferFirst(2);
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();

        String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<deferred@partner.example>"));

        assertThat(sink.await(m -> m.recipients().contains("deferred@partner.example"), 1, Duration.ofSeconds(15))).hasSize(1);
        TrackingRecord record = awaitStatus(id, MessageStatus.Success);
        assertThat(record.attempts()).extracting(TrackingRecord.Attempt::outcome).containsExactly("DEFERRED", "DEFERRED", "DELIVERED");
        assertThat(record.attempts().get(0).reply()).contains("451 4.2.0");
        assertThat(record.recipients().get(0).attempts()).isEqualTo(3);
    }

    @Test
    void shouldDeliverNewMailHandedOverToTheWorkersWithoutAPollOfTheQueue() throws Exception {
        sink = SmtpSink.plain();
        // the workers look into the queue once at start and then not for an hour: what arrives was handed over
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).pollInterval(Duration.ofHours(1)).start();

        String first = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<partner@partner.example>"));
        String second = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<other@partner.example>",
                "RCPT TO:<third@partner.example>"));

        assertThat(sink.await(m -> true, 2, Duration.ofSeconds(60))).hasSize(2);
        assertThat(awaitStatus(first, MessageStatus.Success).recipients()).singleElement()
                .satisfies(r -> assertThat(r.attempts()).isEqualTo(1));
        assertThat(awaitStatus(second, MessageStatus.Success).recipients()).hasSize(2);
    }

    @Test
    void shouldQueueUnclaimedForThePollerWhenTheWorkersAreBehind() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).start();
        int limit = gateway.delivery.handOverLimit();
        assertThat(gateway.delivery.reserve(limit)).as("room for the whole hand-over limit").isTrue();

        assertThat(gateway.delivery.reserve(1)).as("full").isFalse();
        String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<partner@partner.example>"));
        assertThat(awaitStatus(id, MessageStatus.Success).recipients()).as("found by the poller").hasSize(1);

        gateway.delivery.cancel(limit);
        assertThat(gateway.delivery.reserve(1)).as("room again").isTrue();
        gateway.delivery.cancel(1);
    }

    @Test
    void shouldFailTheRecipientsOfABodyDamagedInTheSpoolInsteadOfDeliveringIt() throws Exception {
        sink = SmtpSink.plain();
        // as another node, or this one after a restart, reads it: from the store, not from memory (ADR 0151)
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).readingFromTheStore().steps(m -> {
            // behind the gateway's back: a byte of the stored (encrypted) body flips after it was written
            java.nio.file.Path blob = dataDir.resolve("blobs").resolve(dev.sealgate.queue.Spool.PREFIX + m.deliveries().get(0).content().name());
            byte[] stored = java.nio.file.Files.readAllBytes(blob);
            stored[stored.length - 20] ^= 0x01;
            java.nio.file.Files.write(blob, stored);
        }).start();

        String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<partner@partner.example>"));

        TrackingRecord record = awaitStatus(id, MessageStatus.PermanentlyBlocked);
        assertThat(record.recipients().get(0).detail()).startsWith("554 5.3.0");
        assertThat(sink.find(m -> m.recipients().contains("partner@partner.example"))).as("nothing delivered").isEmpty();
        assertThat(gateway.events.find(new dev.sealgate.tracking.EventQuery(null, null, null, "queue", 10)))
                .anySatisfy(e -> assertThat(e.message()).contains(id).contains("damaged"));
    }

    @Test
    void shouldBounceWhenTheMessageGetsOlderThanTheMaximumAge() throws Exception {
        sink = SmtpSink.plain();
        sink.deferFirst(1000);
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).maxAge(Duration.ofMillis(300)).start();

        String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<deferforever@partner.example>"));

        SmtpSink.Received bounce = sink.await(m -> m.sender().isEmpty(), 1, Duration.ofSeconds(15)).get(0);
        assertThat(bounce.text()).contains("Action: failed", "Status: 4.4.7", "gave up");
        assertThat(awaitStatus(id, MessageStatus.PermanentlyBlocked).recipients().get(0).status()).isEqualTo(RecipientStatus.FAILED);
    }

    @Test
    void shouldHoldWhatThePipelineHoldsUntilReleased() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink)
                .steps(m -> m.deliveries().forEach(d -> m.hold(d, "waiting for a certificate for partner@partner.example")))
                .start();

        String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<partner@partner.example>"));

        assertThat(awaitStatus(id, MessageStatus.PutOnHold).recipients().get(0).detail()).contains("waiting for a certificate");
        assertThat(gateway.queue.held()).extracting(HeldMessage::messageId).containsExactly(id);
        Thread.sleep(300);
        assertThat(sink.messages()).isEmpty();

        assertThat(gateway.queue.release(id, Instant.now())).isEqualTo(1);
        gateway.delivery.wakeUp();
        assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).hasSize(1);
        awaitStatus(id, MessageStatus.Success);
    }

    @Test
    void shouldLetAPipelineStepSplitTransformRejectAndRecord() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink).steps(m -> {
            var encrypted = m.split(m.deliveries().get(0), List.of("withcert@partner.example"));
            m.transform(encrypted, out -> out.write("Subject: encrypted\r\n\r\nciphertext\r\n".getBytes(StandardCharsets.US_ASCII)));
            m.reject("nocert@partner.example", "550 5.7.1 no certificate for nocert@partner.example: encryption is mandatory");
            m.tracking().operation("encrypt for withcert@partner.example", "ok");
        }).start();

        String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<withcert@partner.example>",
                "RCPT TO:<plain@partner.example>", "RCPT TO:<nocert@partner.example>"));

        List<SmtpSink.Received> got = sink.awaitMessages(3, Duration.ofSeconds(10));
        assertThat(got).filteredOn(m -> m.recipients().contains("withcert@partner.example")).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("ciphertext").doesNotContain("The figures"));
        assertThat(got).filteredOn(m -> m.recipients().contains("plain@partner.example")).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("The figures"));
        assertThat(got).filteredOn(m -> m.sender().isEmpty()).singleElement()
                .satisfies(m -> assertThat(m.text()).contains("no certificate for nocert@partner.example"));
        TrackingRecord record = awaitStatus(id, MessageStatus.PartialSuccess);
        assertThat(record.cryptoOperations()).contains("encrypt for withcert@partner.example", "ok");
    }

    @Test
    void shouldRefuseDataInTheSessionWhenThePipelineRejectsEveryRecipient() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink)
                .steps(m -> m.envelope().recipients().forEach(r -> m.reject(r.address(),
                        "550 5.7.1 no certificate for " + r.address() + ": encryption is mandatory")))
                .start();
        try (RawSmtp c = new RawSmtp("127.0.0.1", gateway.port())) {
            c.greeting();
            c.command("EHLO mail.corp.example");
            c.command("MAIL FROM:<ceo@corp.example>");
            c.command("RCPT TO:<partner@partner.example>");
            c.command("DATA");
            assertThat(c.send("Subject: secret\r\n\r\nx\r\n.\r\n"))
                    .isEqualTo("550 5.7.1 no certificate for partner@partner.example: encryption is mandatory");
            assertThat(c.command("NOOP")).startsWith("250");
        }
        Thread.sleep(300);
        assertThat(sink.messages()).as("the sender was told in the session: no notice").isEmpty();
    }

    @Test
    void shouldAskTheClientToRetryWhenAPipelineStepFails() throws Exception {
        sink = SmtpSink.plain();
        gateway = GatewayHarness.builder(dataDir).nextHops(sink)
                .steps(m -> {
                    throw new java.io.IOException("certificate store unreachable");
                })
                .start();
        try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
            c.greeting();
            c.command("EHLO client.test");
            c.command("MAIL FROM:<alice@partner.example>");
            c.command("RCPT TO:<bob@corp.example>");
            c.command("DATA");
            assertThat(c.send("Subject: s\r\n\r\nx\r\n.\r\n")).startsWith("451 4.3.0");
        }
        assertThat(gateway.events.find(new dev.sealgate.tracking.EventQuery(null, null, null, "pipeline", 5)))
                .singleElement().satisfies(e -> assertThat(e.details()).contains("certificate store unreachable"));
        assertThat(gateway.tracking.search(new dev.sealgate.tracking.TrackingQuery(null, null, null, null, null, null, 5))).isEmpty();
        assertThat(gateway.spool.store().list(dev.sealgate.queue.Spool.PREFIX)).as("nothing of the failed attempt stays in the spool")
                .isEmpty();
    }

    @Test
    void shouldKeepDeliveringToOtherNextHopsWhileOneDoesNotAnswer() throws Exception {
        sink = SmtpSink.plain();
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            gateway = GatewayHarness.builder(dataDir).nextHops(sink).inboundNextHop("127.0.0.1:" + silent.getLocalPort()).start();
            String stuck;
            try (RawSmtp c = new RawSmtp("127.0.0.2", gateway.port())) {
                c.greeting();
                c.command("EHLO client.test");
                c.command("MAIL FROM:<alice@partner.example>");
                c.command("RCPT TO:<bob@corp.example>");
                c.command("DATA");
                stuck = c.send("Subject: to a silent server\r\n\r\nx\r\n.\r\n").substring("250 2.0.0 Ok: queued as ".length()).trim();
            }
            Thread.sleep(200);
            String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<partner@partner.example>"));

            assertThat(sink.awaitMessages(1, Duration.ofSeconds(15))).as("delivered while the silent next hop holds a worker")
                    .hasSize(1);
            awaitStatus(id, MessageStatus.Success);
            assertThat(gateway.tracking.find(stuck).orElseThrow().attempts()).as("the silent next hop has not answered yet").isEmpty();
        }
    }

    @Test
    void shouldDeliverOutboundMailToTheMxOfTheRecipientDomain() throws Exception {
        sink = SmtpSink.plain();
        try (dev.sealgate.queue.DnsStub dns = new dev.sealgate.queue.DnsStub().mx("partner.example", 10, "localhost")) {
            gateway = GatewayHarness.builder(dataDir).mxRouting(dns, sink).start();

            String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<partner@partner.example>"));

            assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                    .satisfies(m -> assertThat(m.recipients()).containsExactly("partner@partner.example"));
            assertThat(awaitStatus(id, MessageStatus.Success).attempts().get(0).nextHop()).isEqualTo("localhost:" + sink.port());
        }
    }

    @Test
    void shouldSplitAMessageForSeveralNextHopsAndKeepOneTransactionPerNextHop() throws Exception {
        sink = SmtpSink.plain();
        try (dev.sealgate.queue.DnsStub dns = new dev.sealgate.queue.DnsStub().mx("partner.example", 10, "localhost")
                .mx("other.example", 10, "localhost")) {
            gateway = GatewayHarness.builder(dataDir).mxRouting(dns, sink).start();

            String id = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<a@partner.example>",
                    "RCPT TO:<b@partner.example>", "RCPT TO:<c@other.example>"));

            assertThat(sink.awaitMessages(2, Duration.ofSeconds(10))).extracting(SmtpSink.Received::recipients)
                    .containsExactlyInAnyOrder(List.of("a@partner.example", "b@partner.example"), List.of("c@other.example"));
            assertThat(awaitStatus(id, MessageStatus.Success).recipients()).extracting(TrackingRecord.Recipient::nextHop)
                    .containsExactly("mx:partner.example", "mx:partner.example", "mx:other.example");
        }
    }

    @Test
    void shouldUseStartTlsOpportunisticallyAndInsistOnItWhereConfigured() throws Exception {
        try (dev.sealgate.queue.DnsStub dns = new dev.sealgate.queue.DnsStub().mx("partner.example", 10, "localhost")
                .mx("strict.example", 10, "localhost")) {
            sink = SmtpSink.withStartTls(dataDir.resolve("sink"), null);
            gateway = GatewayHarness.builder(dataDir).mxRouting(dns, sink).requireTlsDomains(java.util.Set.of("strict.example")).start();
            sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<partner@partner.example>"));
            assertThat(sink.awaitMessages(1, Duration.ofSeconds(10))).singleElement()
                    .satisfies(m -> assertThat(m.overTls()).as("opportunistic STARTTLS").isTrue());
            gateway.close();
            sink.close();

            sink = SmtpSink.plain();
            gateway = GatewayHarness.builder(dataDir.resolve("second")).mxRouting(dns, sink)
                    .requireTlsDomains(java.util.Set.of("strict.example")).start();
            String strict = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<bob@strict.example>"));
            String lax = sendFromCompany("MAIL FROM:<ceo@corp.example>", List.of("RCPT TO:<bob@partner.example>"));

            assertThat(sink.await(m -> m.recipients().contains("bob@partner.example"), 1, Duration.ofSeconds(10)))
                    .singleElement().satisfies(m -> assertThat(m.overTls()).isFalse());
            TrackingRecord deferred = awaitStatus(strict, MessageStatus.TemporarilyBlocked);
            assertThat(deferred.attempts().get(0).reply()).containsIgnoringCase("STARTTLS");
            assertThat(sink.messages()).noneMatch(m -> m.recipients().contains("bob@strict.example"));
            awaitStatus(lax, MessageStatus.Success);
        }
    }

    private String sendFromCompany(String mailFrom, List<String> rcpts) throws Exception {
        try (RawSmtp c = new RawSmtp("127.0.0.1", gateway.port())) {
            c.greeting();
            c.command("EHLO mail.corp.example");
            assertThat(c.command(mailFrom)).startsWith("250");
            for (String rcpt : rcpts) {
                assertThat(c.command(rcpt)).startsWith("250");
            }
            assertThat(c.command("DATA")).startsWith("354");
            String reply = c.send("From: ceo@corp.example\r\nTo: partner@partner.example\r\nSubject: quarterly report\r\n\r\nThe figures.\r\n.\r\n");
            assertThat(reply).startsWith("250 2.0.0 Ok: queued as ");
            return reply.substring("250 2.0.0 Ok: queued as ".length()).trim();
        }
    }

    private TrackingRecord awaitStatus(String id, MessageStatus status) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(15);
        TrackingRecord record = null;
        while (Instant.now().isBefore(deadline)) {
            record = gateway.tracking.find(id).orElseThrow();
            if (record.status() == status) {
                return record;
            }
            Thread.sleep(20);
        }
        assertThat(record.status()).as("status of " + id + ": " + record).isEqualTo(status);
        return record;
    }
}
