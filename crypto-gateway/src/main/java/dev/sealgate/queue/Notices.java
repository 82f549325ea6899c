package dev.sealgate.queue;

import dev.sealgate.policy.Direction;
import dev.sealgate.smtp.Envelope;
import dev.sealgate.smtp.Replies;
import dev.sealgate.tracking.RecipientStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Delivery status notifications (RFC 3464 {@code multipart/report; report-type=delivery-status})
 * to the envelope sender: failures ({@code Action: failed}) and the notice that a message was
 * relayed to a next hop that does not offer DSN although the sender asked for NOTIFY=SUCCESS
 * ({@code Action: relayed}, "Message delivered via relay"), and the warning that mail waits
 * ({@code Action: delayed}) for recipients that asked NOTIFY=DELAY. Notices go out with the null sender
 * and are never sent for a message with the null sender.
 */
public final class Notices {

    /** One recipient line of a notice. */
    public record Entry(String address, String orcpt, String action, String status, String remoteMta, String diagnostic) {
    }

    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss Z", Locale.ROOT);
    private static final int MAX_FULL_RETURN = 10 * 1024 * 1024;

    private final Spool spool;
    private final Routing routing;
    private final Predicate<String> ownAddress;
    private final String hostName;
    private final Clock clock;

    public Notices(Spool spool, Routing routing, Predicate<String> ownAddress, String hostName, Clock clock) {
        this.spool = spool;
        this.routing = routing;
        this.ownAddress = ownAddress;
        this.hostName = hostName;
        this.clock = clock;
    }

    /**
     * Builds the notice as a message for the queue; null when the sender is the null sender.
     *
     * @param relayed true for the "delivered via relay" notice, false for a failure notice
     */
    public NewMessage build(String originalId, String sender, String ret, String envid, Instant arrival, String subject,
                            List<Entry> entries, SpooledContent original, boolean relayed) throws IOException {
        return build(originalId, sender, ret, envid, arrival, subject, entries, original, relayed ? Kind.RELAYED : Kind.FAILED, null);
    }

    /**
     * Builds the notice that mail is delayed ({@code Action: delayed}, RFC 3464) for recipients that
     * asked NOTIFY=DELAY; with the original's header section. Null when the sender is the null sender.
     *
     * @param willRetryUntil when the gateway gives up (arrival plus the queue's maximum age)
     */
    public NewMessage buildDelay(String originalId, String sender, String envid, Instant arrival, String subject,
                                 List<Entry> entries, SpooledContent original, Instant willRetryUntil) throws IOException {
        return build(originalId, sender, null, envid, arrival, subject, entries, original, Kind.DELAYED, willRetryUntil);
    }

    private enum Kind {
        FAILED,
        RELAYED,
        DELAYED
    }

    private NewMessage build(String originalId, String sender, String ret, String envid, Instant arrival, String subject,
                             List<Entry> entries, SpooledContent original, Kind kind, Instant willRetryUntil) throws IOException {
        if (sender == null || sender.isEmpty() || entries.isEmpty()) {
            return null;
        }
        boolean relayed = kind == Kind.RELAYED;
        String id = QueueIds.next(clock);
        String boundary = "sealgate-" + UUID.randomUUID();
        String title = switch (kind) {
            case RELAYED -> "Message delivered via relay";
            case DELAYED -> "Delayed Mail (still being retried)";
            case FAILED -> "Undeliverable";
        };
        String fullSubject = title + (subject == null ? "" : ": " + subject);
        boolean full = "FULL".equals(ret) && !relayed && original != null && original.size() <= MAX_FULL_RETURN;
        SpooledContent content = spool.write(id + ".eml", out -> {
            StringBuilder head = new StringBuilder();
            head.append("From: Mail Delivery System <MAILER-DAEMON@").append(hostName).append(">\r\n")
                    .append("To: <").append(sender).append(">\r\n")
                    .append("Subject: ").append(fullSubject.replaceAll("[\r\n]+", " ")).append("\r\n")
                    .append("Date: ").append(RFC_5322.format(clock.instant().atZone(ZoneOffset.UTC))).append("\r\n")
                    .append("Message-ID: <").append(id).append("@").append(hostName).append(">\r\n")
                    .append("Auto-Submitted: auto-replied\r\n")
                    .append("MIME-Version: 1.0\r\n")
                    .append("Content-Type: multipart/report; report-type=delivery-status; boundary=\"").append(boundary).append("\"\r\n")
                    .append("\r\n")
                    .append("--").append(boundary).append("\r\n")
                    .append("Content-Type: text/plain; charset=utf-8\r\n\r\n");
            if (relayed) {
                head.append("Your message was delivered to the next mail server, which does not support delivery status\r\n")
                        .append("notifications (DSN). You asked to be told of successful delivery; this is the last notice\r\n")
                        .append("you will get for these recipients:\r\n\r\n");
            } else if (kind == Kind.DELAYED) {
                head.append("Your message has not been delivered yet to these recipients. This is only a warning: it is\r\n")
                        .append("still being retried until ").append(RFC_5322.format(willRetryUntil.atZone(ZoneOffset.UTC)))
                        .append("; you need not send it again.\r\n\r\n");
            } else {
                head.append("Your message could not be delivered to these recipients:\r\n\r\n");
            }
            for (Entry e : entries) {
                head.append("  ").append(e.address()).append(": ").append(e.diagnostic() == null ? e.action() : Replies.clean(e.diagnostic())).append("\r\n");
            }
            head.append("\r\nQueue id of your message at ").append(hostName).append(": ").append(originalId).append("\r\n")
                    .append("\r\n--").append(boundary).append("\r\n")
                    .append("Content-Type: message/delivery-status\r\n\r\n")
                    .append("Reporting-MTA: dns; ").append(hostName).append("\r\n");
            if (envid != null) {
                head.append("Original-Envelope-Id: ").append(envid).append("\r\n");
            }
            head.append("Arrival-Date: ").append(RFC_5322.format(arrival.atZone(ZoneOffset.UTC))).append("\r\n");
            for (Entry e : entries) {
                head.append("\r\n");
                if (e.orcpt() != null) {
                    head.append("Original-Recipient: ").append(e.orcpt()).append("\r\n");
                }
                head.append("Final-Recipient: rfc822; ").append(e.address()).append("\r\n")
                        .append("Action: ").append(e.action()).append("\r\n")
                        .append("Status: ").append(e.status()).append("\r\n");
                if (e.remoteMta() != null) {
                    head.append("Remote-MTA: dns; ").append(e.remoteMta()).append("\r\n");
                }
                if (e.diagnostic() != null) {
                    head.append("Diagnostic-Code: smtp; ").append(Replies.clean(e.diagnostic())).append("\r\n");
                }
                if (kind == Kind.DELAYED) {
                    head.append("Will-Retry-Until: ").append(RFC_5322.format(willRetryUntil.atZone(ZoneOffset.UTC))).append("\r\n");
                }
            }
            head.append("\r\n--").append(boundary).append("\r\n")
                    .append(full ? "Content-Type: message/rfc822\r\n\r\n" : "Content-Type: text/rfc822-headers\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (original != null) {
                try (InputStream in = original.open()) {
                    if (full) {
                        in.transferTo(out);
                    } else {
                        copyHeaders(in, out);
                    }
                }
            }
            out.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        });
        Direction direction = ownAddress.test(sender) ? Direction.INBOUND : Direction.OUTBOUND;
        Envelope envelope = new Envelope("", null, null, List.of(new dev.sealgate.smtp.EnvelopeRecipient(sender, "NEVER", null, null)),
                "127.0.0.1", hostName, null, null, direction);
        return new NewMessage(id, clock.instant(), envelope, "MAILER-DAEMON@" + hostName, fullSubject, content.size(), null,
                List.of(new NewMessage.Recipient(sender, "NEVER", null, routing.nextHop(direction, sender), content.reference(),
                        RecipientStatus.PENDING, null)));
    }

    /** The enhanced status code in a reply ("550 5.1.1 ..." gives 5.1.1), else derived from the reply class. */
    public static String statusOf(String reply) {
        if (reply != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^\\d{3}[ -]([245]\\.\\d{1,3}\\.\\d{1,3})").matcher(reply);
            if (m.find()) {
                return m.group(1);
            }
            if (reply.startsWith("5")) {
                return "5.0.0";
            }
        }
        return "4.0.0";
    }

    private static void copyHeaders(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                byte[] l = line.toByteArray();
                if (l.length <= 2 && (l.length == 1 || l[0] == '\r')) {
                    return;
                }
                out.write(l);
                line.reset();
            }
        }
        out.write(line.toByteArray());
    }

}
