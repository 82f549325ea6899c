package dev.sealgate.security;

/** The identity provider's keys could not be fetched, so no token can be checked right now. */
public class IdentityProviderUnavailableException extends Exception {

    public IdentityProviderUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
