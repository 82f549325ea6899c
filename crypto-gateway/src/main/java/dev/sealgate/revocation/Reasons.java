package dev.sealgate.revocation;

/** CRL reason codes (RFC 5280 5.3.1) by the names users and admins read. */
final class Reasons {

    private static final String[] NAMES = {"unspecified", "keyCompromise", "cACompromise", "affiliationChanged",
        "superseded", "cessationOfOperation", "certificateHold", "unknown(7)", "removeFromCRL", "privilegeWithdrawn",
        "aACompromise"};

    private Reasons() {
    }

    static String name(int code) {
        return code >= 0 && code < NAMES.length ? NAMES[code] : "unknown(" + code + ")";
    }
}
