package dev.sealgate.certprovider;

import java.util.Objects;

/**
 * A provider call failed. The message is one line that names the thing and the fix; it never
 * carries a private key, an API secret, a password or a bearer token.
 */
public class CertificateProviderException extends Exception {

    private final ProviderFailure failure;

    public CertificateProviderException(ProviderFailure failure, String message) {
        this(failure, message, null);
    }

    public CertificateProviderException(ProviderFailure failure, String message, Throwable cause) {
        super(oneLine(message), cause);
        this.failure = Objects.requireNonNull(failure, "failure");
    }

    public ProviderFailure failure() {
        return failure;
    }

    private static String oneLine(String message) {
        return Objects.requireNonNull(message, "message").replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}
