package dev.sealgate.smtp;

import dev.sealgate.policy.Direction;
import dev.sealgate.policy.RelayRejection;

/**
 * A MAIL FROM or RCPT TO that the relay policy refused, for counting and (when configured) for
 * message tracking.
 */
public record RelayRefusal(RelayRejection rejection, Direction direction, String clientAddress, String helo,
                           String sender, String recipient, String reply) {
}
