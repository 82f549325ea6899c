package dev.sealgate.certprovider;

/**
 * Whose fault a failed provider call is. The enrollment service retries {@link #TRUST_CENTER_ERROR}
 * later and gives up at once on {@link #INVALID_REQUEST} and {@link #CONFIGURATION_ERROR}.
 */
public enum ProviderFailure {
    /** The trust center or the connection to it failed: refused, timeout, TLS, HTTP 401/403/5xx,
     *  a malformed answer, a rejected or failed order, an order that never finishes. */
    TRUST_CENTER_ERROR,
    /** Our own request was bad: CSR without proof of possession, address mismatch, weak key. */
    INVALID_REQUEST,
    /** Local setup is unusable: unreadable key store, wrong password, missing key entry. */
    CONFIGURATION_ERROR
}
