package dev.sealgate.pipeline;

/**
 * Where each {@link PipelineStep} runs, in one place: the values for Spring's {@code @Order} on the
 * step beans (lowest first). Gaps leave room for steps in between.
 */
public final class StepOrder {

    /** Verifies and strips the add-in's flags header; every later step may ask for the flags. */
    public static final int ADDIN_FLAGS = 100;

    /**
     * Replaces large attachments (or all, on the add-in's request) of outbound mail by download
     * links; before the crypto steps, so the links are signed and encrypted with the text.
     */
    public static final int LARGE_FILES = 300;

    /** The first of the S/MIME steps (sign, encrypt outbound; decrypt, verify inbound). */
    public static final int CRYPTO = 500;

    /** Counts what the steps before did (metrics); last, so that it sees every operation. */
    public static final int METRICS = 900;

    private StepOrder() {
    }
}
