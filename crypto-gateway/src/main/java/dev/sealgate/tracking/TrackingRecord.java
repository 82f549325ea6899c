package dev.sealgate.tracking;

import com.fasterxml.jackson.annotation.JsonRawValue;
import java.time.Instant;
import java.util.List;

/**
 * The tracking record of one message: what the gateway received, decided and did. Exported as
 * JSON for support ("Nachrichtenverfolgung exportieren"). The crypto operations are stored as a JSON
 * array and appear in the JSON as that array, not as a string holding JSON.
 */
public record TrackingRecord(String id, Instant receivedAt, String clientAddress, String helo, String tlsProtocol,
                             String tlsCipher, String envelopeSender, String headerFrom, String subject, String headerMessageId,
                             String direction, String rule, long size, String dsnRet, String dsnEnvid, MessageStatus status,
                             @JsonRawValue String cryptoOperations, Instant finishedAt, List<Recipient> recipients,
                             List<Attempt> attempts, List<Event> events) {

    TrackingRecord withDetails(List<Recipient> recipients, List<Attempt> attempts, List<Event> events) {
        return new TrackingRecord(id, receivedAt, clientAddress, helo, tlsProtocol, tlsCipher, envelopeSender, headerFrom,
                subject, headerMessageId, direction, rule, size, dsnRet, dsnEnvid, status, cryptoOperations, finishedAt, recipients, attempts,
                events);
    }

    /** The same record without the subject line (for a caller who may not read message content). */
    public TrackingRecord withoutSubject() {
        return new TrackingRecord(id, receivedAt, clientAddress, helo, tlsProtocol, tlsCipher, envelopeSender, headerFrom,
                null, headerMessageId, direction, rule, size, dsnRet, dsnEnvid, status, cryptoOperations, finishedAt, recipients, attempts,
                events);
    }

    /** A recipient with its own status. */
    public record Recipient(String address, RecipientStatus status, String detail, String nextHop, int attempts,
                            String dsnNotify, String orcpt, Instant finishedAt) {
    }

    /** One delivery attempt and the next hop's reply. */
    public record Attempt(Instant at, String nextHop, String recipients, String outcome, String reply) {
    }

    /** One line of a search result. */
    public record Summary(String id, Instant receivedAt, String envelopeSender, String headerFrom, String subject,
                          String direction, MessageStatus status, int recipients) {

        /** The same line without the subject. */
        public Summary withoutSubject() {
            return new Summary(id, receivedAt, envelopeSender, headerFrom, null, direction, status, recipients);
        }
    }
}
