package dev.sealgate.smime;

import jakarta.mail.internet.MimeMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Takes S/MIME layers off a message one by one (signed inside encrypted inside signed, in any
 * order) and reports each. Works in memory, layer by layer; for large messages call
 * {@link SmimeDecryptor} and {@link SmimeVerifier} with files in between.
 */
public final class SmimeUnwrapper {

    /** More layers than any real client produces; guards against crafted recursion. */
    static final int MAX_LAYERS = 8;

    private final SmimeDecryptor decryptor;
    private final SmimeVerifier verifier;

    public SmimeUnwrapper(SmimeDecryptor decryptor, SmimeVerifier verifier) {
        this.decryptor = Objects.requireNonNull(decryptor, "decryptor");
        this.verifier = Objects.requireNonNull(verifier, "verifier");
    }

    /**
     * Unwraps every layer. An encrypted layer without a key ends in {@link SmimeKeyNotFoundException};
     * a bad signature does not stop unwrapping, it is reported in its layer.
     */
    public UnwrapResult unwrap(MimeMessage message) {
        List<SmimeLayer> layers = new ArrayList<>();
        MimeMessage current = message;
        while (true) {
            SmimeType type = SmimeInspector.detect(current);
            if (!type.signed() && !type.encrypted()) {
                return new UnwrapResult(layers, current);
            }
            if (layers.size() == MAX_LAYERS) {
                throw new SmimeFormatException("more than " + MAX_LAYERS
                        + " nested S/MIME layers: the message is crafted or broken; reject it");
            }
            MimeSupport.Buffer inner = new MimeSupport.Buffer();
            if (type.signed()) {
                VerificationResult v = verifier.verify(current, inner);
                layers.add(new SmimeLayer(type, Optional.of(v), Optional.empty()));
            } else {
                DecryptionResult d = decryptor.decrypt(current, inner);
                layers.add(new SmimeLayer(type, Optional.empty(), Optional.of(d)));
            }
            current = inner.toMessage();
        }
    }
}
