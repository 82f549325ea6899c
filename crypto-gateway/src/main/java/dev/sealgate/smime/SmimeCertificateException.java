package dev.sealgate.smime;

/** A certificate or key handed to the engine cannot be used for the operation asked (key usage, key type, curve). */
public class SmimeCertificateException extends SmimeException {

    public SmimeCertificateException(String message) {
        super(message);
    }

    public SmimeCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}
