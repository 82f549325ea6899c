package dev.sealgate.certs;

/** What a certificate is looked up for; key usage and extended key usage must allow it. */
public enum KeyPurpose {
    SIGNING,
    ENCRYPTION
}
