package dev.sealgate.cli;

/** A command line failure with a message for the admin; the command exits non-zero. */
final class CliException extends RuntimeException {

    private final int exitCode;

    CliException(String message) {
        this(message, 1);
    }

    CliException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    int exitCode() {
        return exitCode;
    }
}
