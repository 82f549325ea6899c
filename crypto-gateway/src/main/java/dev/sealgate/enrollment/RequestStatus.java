package dev.sealgate.enrollment;

/** Where an enrollment request stands. */
public enum RequestStatus {
    PENDING("Pending"),
    SUCCEEDED("Succeeded"),
    FAILED("Failed");

    private final String label;

    RequestStatus(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static RequestStatus parse(String value) {
        for (RequestStatus status : values()) {
            if (status.label.equalsIgnoreCase(value) || status.name().equalsIgnoreCase(value)) {
                return status;
            }
        }
        throw new IllegalArgumentException("not a request status: '" + value + "'; use Pending, Succeeded or Failed");
    }
}
