package dev.sealgate.tracking;

/** How urgently an admin should look at an event. */
public enum Severity {
    INFO, WARNING, ERROR
}
