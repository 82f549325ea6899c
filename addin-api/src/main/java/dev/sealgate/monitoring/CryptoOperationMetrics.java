package dev.sealgate.monitoring;

import dev.sealgate.pipeline.PipelineMessage;
import dev.sealgate.pipeline.PipelineStep;
import dev.sealgate.pipeline.StepOrder;
import dev.sealgate.pipeline.TrackingHandle;
import dev.sealgate.tracking.CryptoOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Counts the S/MIME operations of every message, {@code sealgate_crypto_operations_total} with
 * {@code kind} (sign, encrypt, decrypt, verify) and {@code result}: {@code ok}, {@code skipped}
 * (the policy did not ask for it), {@code failed}, or for decrypt and verify the verdict word
 * ({@code no-key}, {@code not-opened}, {@code invalid}, {@code untrusted}, ...). The last pipeline
 * step: it reads what the crypto steps wrote into the tracking record, the one place they say what
 * they did. Counted when the steps ran; a message refused afterwards with 451 (the transaction did
 * not commit) is counted again when the client sends it again.
 */
@Component
@Order(StepOrder.METRICS)
class CryptoOperationMetrics implements PipelineStep {

    static final String NAME = "sealgate.crypto.operations";

    private final MeterRegistry registry;

    CryptoOperationMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void process(PipelineMessage message) {
        for (TrackingHandle.Operation operation : message.tracking().operations()) {
            String kind = kind(operation.operation());
            if (kind != null) {
                Counter.builder(NAME).description("S/MIME operations by kind and result").tag("kind", kind)
                        .tag("result", result(kind, operation.result())).register(registry).increment();
            }
        }
    }

    /** The kind from the tracking record's operation ("sign", "encrypt for bob@...", "verify layer 1"); null for the rest. */
    static String kind(String operation) {
        return CryptoOutcome.kind(operation);
    }

    /** A short, bounded result word, so that the number of series stays small. */
    static String result(String kind, String result) {
        return CryptoOutcome.result(kind, result);
    }
}
