package dev.sealgate.queue;

import dev.sealgate.policy.Direction;
import java.time.Instant;

/** One held recipient with what is needed to process its message again: envelope, content, reason. */
public record HeldRecipient(long id, String messageId, Instant receivedAt, String sender, String dsnRet, String dsnEnvid,
                            String clientAddress, Direction direction, String subject, String address, String dsnNotify,
                            String orcpt, String contentFile, String reason, String cryptoOperations) {
}
