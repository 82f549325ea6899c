package dev.sealgate.tracking;

import java.time.Instant;
import java.util.Map;

/**
 * Mail flow in a time window, for the console's overview: how many messages the gateway received,
 * by direction and by the status tracking gives them now.
 *
 * @param since       start of the window
 * @param until       end of the window
 * @param received    messages received (refused ones included when refusals are tracked)
 * @param byDirection received per direction (INBOUND, OUTBOUND)
 * @param byStatus    received per current status (Success, TemporarilyBlocked, PutOnHold, ...)
 * @param byDirectionAndStatus received per direction, then per current status
 */
public record MailFlow(Instant since, Instant until, long received, Map<String, Long> byDirection,
                       Map<MessageStatus, Long> byStatus, Map<String, Map<MessageStatus, Long>> byDirectionAndStatus) {
}
