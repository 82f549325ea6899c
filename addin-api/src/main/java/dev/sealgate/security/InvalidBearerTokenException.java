package dev.sealgate.security;

/** A bearer token that does not authenticate anybody; the message says why without repeating the token. */
public class InvalidBearerTokenException extends Exception {

    public InvalidBearerTokenException(String message) {
        super(message);
    }
}
