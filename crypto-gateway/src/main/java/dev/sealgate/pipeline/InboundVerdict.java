package dev.sealgate.pipeline;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What the inbound step found on one message, as the headers say it (docs/adr/0090-inbound-verdicts.md):
 * one result per S/MIME layer it met, outermost first, and the overall signature verdict. The
 * overall verdict is {@code valid} only when every signature layer met is valid and at least one of
 * them covers the content delivered; otherwise it names the worst failing layer, or says
 * {@code not-covering} when the only signatures wrap the ciphertext.
 *
 * @param layers     the layers, outermost first
 * @param leftClosed encrypted entities the layer rules left closed (nested layers and encrypted MIME parts)
 */
public record InboundVerdict(List<Layer> layers, int leftClosed) {

    /**
     * One layer.
     *
     * @param number        1 for the outermost
     * @param signed        a signature layer (else an encrypted one)
     * @param result        what the gateway found
     * @param coversContent signature layers: whether the delivered content is what it signed (false when
     *                      it wraps a layer the gateway decrypted)
     * @param party         the signer (signature layers) or the own recipient whose key opened it (encrypted layers)
     */
    public record Layer(int number, boolean signed, VerdictWord result, boolean coversContent, Optional<String> party) {

        /** The value of {@code X-Sealgate-Layer-<number>}. */
        public String header() {
            StringBuilder s = new StringBuilder(signed ? "signed" : "encrypted").append("; result=").append(result.word());
            if (signed) {
                s.append("; covers=").append(coversContent ? "content" : "ciphertext");
            }
            party.ifPresent(p -> s.append(signed ? "; signer=" : "; recipient=").append(safe(p)));
            return s.toString();
        }
    }

    public InboundVerdict {
        layers = List.copyOf(layers);
    }

    /** The same layers with every signature's result {@code unchecked}: the recipient's policy turned verification off. */
    public InboundVerdict unchecked() {
        return new InboundVerdict(layers.stream().map(l -> l.signed()
                ? new Layer(l.number(), true, VerdictWord.UNCHECKED, l.coversContent(), l.party()) : l).toList(), leftClosed);
    }

    /** The signature layers met. */
    public List<Layer> signatures() {
        return layers.stream().filter(Layer::signed).toList();
    }

    /** The overall signature verdict's word; empty when the message carried no signature layer. */
    public Optional<VerdictWord> overall() {
        return deciding().map(l -> failing().isPresent() ? l.result()
                : l.coversContent() ? VerdictWord.VALID : VerdictWord.NOT_COVERING);
    }

    /** True when the overall verdict is {@code valid}. */
    public boolean valid() {
        return overall().filter(w -> w == VerdictWord.VALID).isPresent();
    }

    /** The value of {@code X-Sealgate-Signature}: word, signer, and for anything but valid the layer it is about. */
    public Optional<String> signatureHeader() {
        return deciding().filter(l -> l.result() != VerdictWord.UNCHECKED).map(l -> {
            VerdictWord word = overall().orElseThrow();
            String header = word.word() + "; signer=" + l.party().map(InboundVerdict::safe).orElse("unknown");
            return word == VerdictWord.VALID ? header : header + "; layer=" + l.number();
        });
    }

    /** The value of {@code X-Sealgate-Decrypted}. */
    public String decryptedHeader(boolean decrypted) {
        return (decrypted ? "yes" : "no") + (leftClosed > 0 ? "; left-closed=" + leftClosed : "");
    }

    /** The layer the overall verdict is about: the worst failing one, else the first covering one, else the outermost. */
    private Optional<Layer> deciding() {
        List<Layer> signatures = signatures();
        if (signatures.isEmpty()) {
            return Optional.empty();
        }
        return failing().or(() -> signatures.stream().filter(Layer::coversContent).findFirst())
                .or(() -> Optional.of(signatures.get(0)));
    }

    private Optional<Layer> failing() {
        // min keeps the first of equals: the outermost of equally bad layers
        return signatures().stream().filter(l -> l.result() != VerdictWord.VALID).min(Comparator.comparing(Layer::result));
    }

    /** An address as a header parameter: no separators, quotes, spaces or controls from a certificate or a header. */
    static String safe(String value) {
        StringBuilder s = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            s.append(c > 32 && c < 127 && c != ';' && c != '"' && c != '\\' && c != ',' ? c : '?');
        }
        return s.toString();
    }
}
