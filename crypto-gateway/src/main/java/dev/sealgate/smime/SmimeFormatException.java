package dev.sealgate.smime;

/** The input is not what it claims to be: truncated or malformed CMS, wrong content type, broken MIME structure. */
public class SmimeFormatException extends SmimeException {

    public SmimeFormatException(String message) {
        super(message);
    }

    public SmimeFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
