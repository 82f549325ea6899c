package dev.sealgate.certs;

/** What a stored certificate is to the gateway. */
public enum CertificateKind {
    /** One of ours, with its private key: signs outbound and decrypts inbound mail. */
    OWN,
    /** A partner's certificate, public only: encrypts to and verifies from that partner. */
    PARTNER,
    /** A trust anchor: chains ending here are trusted. */
    ANCHOR,
    /** A CA certificate met in a chain (imported or harvested); never an anchor by itself. */
    INTERMEDIATE
}
