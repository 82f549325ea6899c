package dev.sealgate.monitoring;

import dev.sealgate.pipeline.PipelineMessage;
import dev.sealgate.pipeline.PipelineStep;
import dev.sealgate.pipeline.StepOrder;
import dev.sealgate.pipeline.TrackingHandle;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
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
        String first = operation == null ? "" : operation.strip().split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return switch (first) {
            case "sign", "encrypt", "decrypt", "verify" -> first;
            default -> null;
        };
    }

    /** A short, bounded result word, so that the number of series stays small. */
    static String result(String kind, String result) {
        String text = result == null ? "" : result.strip().toLowerCase(Locale.ROOT);
        if (text.startsWith("ok")) {
            return "ok";
        }
        return switch (kind) {
            case "sign", "encrypt" -> text.startsWith("no") ? "skipped" : "failed";
            case "decrypt" -> text.startsWith("no key") ? "no-key" : text.startsWith("not opened") ? "not-opened" : "failed";
            default -> {
                // verify: the verdict word before the first ';' (valid, invalid, untrusted, revoked, ...)
                String word = text.split("[;\\s]", 2)[0].replace('_', '-');
                yield word.equals("valid") ? "ok" : word.matches("[a-z-]{1,30}") ? word : "failed";
            }
        };
    }
}
