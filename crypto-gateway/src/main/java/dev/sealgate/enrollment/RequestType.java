package dev.sealgate.enrollment;

/** What was asked of the provider; {@link #label()} is the word admins know from the event log. */
public enum RequestType {
    CERTIFICATE_REQUEST("CertificateRequest"),
    RENEWAL("Renewal"),
    REVOCATION("Revocation");

    private final String label;

    RequestType(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** Accepts the label ({@code CertificateRequest}) or the constant ({@code CERTIFICATE_REQUEST}). */
    public static RequestType parse(String value) {
        for (RequestType type : values()) {
            if (type.label.equalsIgnoreCase(value) || type.name().equalsIgnoreCase(value)) {
                return type;
            }
        }
        throw new IllegalArgumentException("not a request type: '" + value + "'; use CertificateRequest, Renewal or Revocation");
    }
}
