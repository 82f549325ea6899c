package dev.sealgate.policy;

/**
 * The answer of {@link RelayPolicy} for one step of an SMTP transaction.
 *
 * @param accepted  whether the step may go on
 * @param rejection which of the "Unable to relay" cases applies; null when accepted
 * @param reply     the SMTP reply for a rejection ({@code 550 5.7.1 Unable to relay: ...}); null when accepted
 * @param ruleName  the message-flow rule that matched (RCPT only); null otherwise
 */
public record RelayDecision(boolean accepted, RelayRejection rejection, String reply, String ruleName) {

    static RelayDecision accept(String ruleName) {
        return new RelayDecision(true, null, null, ruleName);
    }

    static RelayDecision reject(RelayRejection rejection, String reason) {
        return new RelayDecision(false, rejection, "550 5.7.1 Unable to relay: " + reason, null);
    }
}
