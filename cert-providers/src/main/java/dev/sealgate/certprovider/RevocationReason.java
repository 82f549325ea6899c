package dev.sealgate.certprovider;

/** The reasons a gateway has to revoke one of its users' certificates, with their RFC 5280 CRLReason codes. */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5);

    private final int crlReason;

    RevocationReason(int crlReason) {
        this.crlReason = crlReason;
    }

    public int crlReason() {
        return crlReason;
    }
}
