package dev.sealgate.smime;

import jakarta.mail.internet.MimeMessage;

import java.util.List;

/**
 * A message with every S/MIME layer taken off.
 *
 * @param layers  each layer, outermost first; empty for a plain message
 * @param content the innermost message: outer headers of the original, innermost MIME entity
 */
public record UnwrapResult(List<SmimeLayer> layers, MimeMessage content) {

    public UnwrapResult {
        layers = List.copyOf(layers);
    }

    /** True when there was at least one signed layer and every signed layer is VALID. */
    public boolean allSignaturesValid() {
        List<SmimeLayer> signed = layers.stream().filter(l -> l.verification().isPresent()).toList();
        return !signed.isEmpty() && signed.stream().allMatch(l -> l.verification().get().valid());
    }
}
