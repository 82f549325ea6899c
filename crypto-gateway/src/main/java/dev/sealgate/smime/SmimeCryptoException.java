package dev.sealgate.smime;

/**
 * A cryptographic operation failed on well-formed input: the content did not decrypt (wrong key,
 * failed authentication tag, bad padding) or a signature could not be produced.
 * Output written before this was thrown must be discarded.
 */
public class SmimeCryptoException extends SmimeException {

    public SmimeCryptoException(String message) {
        super(message);
    }

    public SmimeCryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}
