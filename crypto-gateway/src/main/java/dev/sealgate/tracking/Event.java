package dev.sealgate.tracking;

import java.time.Instant;

/**
 * One entry of the event log: what went wrong (or needs attention), where, and the details an
 * admin needs to act. Details never carry key material, passwords or tokens.
 */
public record Event(long id, Instant occurredAt, Severity severity, String source, String message, String details) {
}
