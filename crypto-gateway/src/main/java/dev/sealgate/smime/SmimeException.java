package dev.sealgate.smime;

/**
 * Base of every failure the S/MIME engine reports. The message is one line that names the
 * thing that is wrong and the fix; it never contains key material or passwords.
 */
public class SmimeException extends RuntimeException {

    public SmimeException(String message) {
        super(message);
    }

    public SmimeException(String message, Throwable cause) {
        super(message, cause);
    }
}
