package dev.sealgate.pipeline;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.policy.Direction;
import dev.sealgate.policy.EffectivePolicy;
import dev.sealgate.policy.InboundDecision;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.smime.DecryptionResult;
import dev.sealgate.smime.SmimeDecryptor;
import dev.sealgate.smime.SmimeException;
import dev.sealgate.smime.SmimeInspector;
import dev.sealgate.smime.SmimeKeyNotFoundException;
import dev.sealgate.smime.SmimeType;
import dev.sealgate.smime.SmimeVerifier;
import dev.sealgate.smime.VerificationResult;
import dev.sealgate.smime.VerificationStatus;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.tracking.EventLog;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The crypto step for inbound mail: takes off what the sender must not set ({@code X-Sealgate-*},
 * including {@code X-Sealgate-Flags}: inbound flags are never honoured), decrypts with the keys
 * the store holds, verifies signatures against the store's trust anchors and CRLs, applies the
 * partners' and own users' policies ({@link InboundDecision}), stamps the outcome into the message
 * ({@code X-Sealgate-Signature}, {@code X-Sealgate-Decrypted}) and harvests the certificates of
 * verified signers as partner certificates with the capabilities they advertised.
 *
 * <p>A message that is only signed is delivered with its signature, so the user's client can check
 * it too; an encrypted message is delivered with every layer taken off (an outer signature cannot
 * survive its content being decrypted). Works in memory per layer, like the engine's unwrapper.
 */
public final class InboundCryptoStep implements PipelineStep {

    /** The result of the outermost signature, and the signer. */
    public static final String SIGNATURE_HEADER = "X-Sealgate-Signature";
    /** Whether the gateway decrypted the message. */
    public static final String DECRYPTED_HEADER = "X-Sealgate-Decrypted";
    static final String OWN_HEADER_PREFIX = "x-sealgate-";
    private static final int MAX_LAYERS = 8;

    private final CertificateStore store;
    private final PolicyResolver policies;
    private final EventLog events;

    public InboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events) {
        this.store = store;
        this.policies = policies;
        this.events = events;
    }

    /** One layer as this step saw it. */
    private record Layer(SmimeType type, VerificationResult verification, DecryptionResult decryption) {
    }

    /** The layers taken off, the content under the last one taken off, and whether an encrypted layer stayed closed. */
    private record Unwrapped(List<Layer> layers, MimeMessage content, boolean undecryptable) {

        boolean encrypted() {
            return undecryptable || layers.stream().anyMatch(l -> l.type().encrypted());
        }

        boolean signed() {
            return layers.stream().anyMatch(l -> l.type().signed());
        }

        Optional<VerificationResult> outermostSignature() {
            return layers.stream().filter(l -> l.verification() != null).map(Layer::verification).findFirst();
        }
    }

    @Override
    public void process(PipelineMessage message) throws IOException {
        if (message.direction() != Direction.INBOUND) {
            return;
        }
        for (Delivery delivery : message.deliveries()) {
            processDelivery(message, delivery);
        }
    }

    private void processDelivery(PipelineMessage message, Delivery delivery) throws IOException {
        try (MessageFiles.SpooledMessage spooled = MessageFiles.read(delivery.content())) {
            processDelivery(message, delivery, spooled.mime());
        }
    }

    private void processDelivery(PipelineMessage message, Delivery delivery, MimeMessage original) throws IOException {
        Unwrapped unwrapped;
        try {
            unwrapped = unwrap(original);
        } catch (SmimeException e) {
            String reply = "550 5.7.5 the S/MIME content of the message cannot be processed (" + oneLine(e.getMessage())
                    + "); the sender must send it again";
            message.tracking().operation("unwrap", "failed: " + oneLine(e.getMessage()));
            events.warning("crypto", "Refused an inbound message from <" + message.envelope().sender()
                    + ">: its S/MIME content cannot be processed", e.getMessage());
            delivery.recipients().forEach(r -> message.reject(r.address(), reply));
            return;
        }
        record(message, unwrapped);
        Optional<VerificationResult> outermost = unwrapped.outermostSignature();
        boolean validSignature = unwrapped.layers().stream().anyMatch(l -> l.verification() != null && l.verification().valid());
        InboundDecision.Facts facts = new InboundDecision.Facts(unwrapped.encrypted(), !unwrapped.undecryptable(), unwrapped.signed());
        EffectivePolicy senderPolicy = policies.resolve(message.envelope().sender().isEmpty()
                ? "mailer-daemon@invalid" : message.envelope().sender());
        InboundDecision delivered = null;
        for (EnvelopeRecipient recipient : delivery.recipients()) {
            InboundDecision decision = InboundDecision.decide(senderPolicy, policies.resolve(recipient.address()), facts);
            if (decision.action() == InboundDecision.Action.REJECT) {
                reject(message, recipient.address(), decision.reason());
            } else if (decision.signatureRequired() && !validSignature) {
                reject(message, recipient.address(), "mail from " + senderPolicy.address()
                        + " must carry a valid signature (policy " + senderPolicy.inboundRequirement() + ") but "
                        + outermost.map(s -> "its signature is " + stamp(s.status()) + ": " + s.reason()).orElse("came unsigned"));
            } else {
                delivered = decision;
            }
        }
        if (delivered == null) {
            return;
        }
        // the recipient's policy may turn verification off: then no stamp and no harvest
        Optional<VerificationResult> signature = delivered.verify() ? outermost : Optional.empty();
        if (delivered.verify()) {
            harvest(message, unwrapped);
        }
        boolean decrypt = delivered.action() == InboundDecision.Action.DELIVER && unwrapped.encrypted();
        MimeMessage result = decrypt ? unwrapped.content() : original;
        try {
            removeOwnHeaders(result);
            signature.ifPresent(s -> setHeader(result, SIGNATURE_HEADER, stamp(s.status()) + "; signer="
                    + s.signerAddress().orElse("unknown")));
            setHeader(result, DECRYPTED_HEADER, decrypt ? "yes" : "no");
        } catch (MessagingException e) {
            throw new IOException("cannot rewrite the header of message " + message.messageId() + ": " + e.getMessage(), e);
        }
        message.tracking().operation("inbound", delivered.action() + " (" + delivered.reason() + "), decrypted=" + (decrypt ? "yes" : "no")
                + signature.map(s -> ", signature=" + stamp(s.status())).orElse(""));
        message.transform(delivery, out -> MessageFiles.write(result, out));
    }

    private Unwrapped unwrap(MimeMessage message) {
        List<Layer> layers = new ArrayList<>();
        MimeMessage current = message;
        SmimeVerifier verifier = null;
        SmimeDecryptor decryptor = new SmimeDecryptor(StoreKeys.resolver(store));
        while (true) {
            SmimeType type = SmimeInspector.detect(current);
            if (!type.signed() && !type.encrypted()) {
                return new Unwrapped(layers, current, false);
            }
            if (layers.size() == MAX_LAYERS) {
                throw new SmimeException("more than " + MAX_LAYERS + " nested S/MIME layers; the message is crafted or broken");
            }
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            if (type.signed()) {
                if (verifier == null) {
                    verifier = new SmimeVerifier(StoreKeys.trust(store));
                }
                VerificationResult v = checkRevocation(verifier.verify(current, inner));
                layers.add(new Layer(type, v, null));
            } else {
                try {
                    layers.add(new Layer(type, null, decryptor.decrypt(current, inner)));
                } catch (SmimeKeyNotFoundException e) {
                    layers.add(new Layer(type, null, null));
                    return new Unwrapped(layers, current, true);
                }
            }
            current = MessageFiles.parse(inner.toByteArray());
        }
    }

    /** The engine checks the path without CRLs (see {@link StoreKeys#trust}); a stored CRL still revokes. */
    private VerificationResult checkRevocation(VerificationResult v) {
        if (v.status() != VerificationStatus.VALID && v.status() != VerificationStatus.ADDRESS_MISMATCH) {
            return v;
        }
        Optional<X509Certificate> signer = v.signerCertificate();
        if (signer.isPresent() && StoreKeys.revoked(store, signer.get())) {
            return new VerificationResult(VerificationStatus.REVOKED, v.failed(), "the signer certificate is revoked by a stored CRL",
                    v.signerCertificate(), v.signerAddress(), v.signingTime(), v.capabilities(), v.encryptionCertificate(), v.certificates());
        }
        return v;
    }

    private void record(PipelineMessage message, Unwrapped unwrapped) {
        int n = 1;
        for (Layer layer : unwrapped.layers()) {
            String name = "layer " + n++ + " " + layer.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (layer.verification() != null) {
                VerificationResult v = layer.verification();
                message.tracking().operation("verify " + name, stamp(v.status()) + "; signer=" + v.signerAddress().orElse("unknown")
                        + " (" + oneLine(v.reason()) + ")");
            } else if (layer.decryption() != null) {
                message.tracking().operation("decrypt " + name, "ok, " + layer.decryption().contentEncryption()
                        .map(Enum::name).orElse(layer.decryption().contentEncryptionOid()));
            } else {
                message.tracking().operation("decrypt " + name, "no key held for any recipient of this layer");
            }
        }
    }

    /** Keeps the signer certificates of signatures that hold (trusted or not), with what they advertised. */
    private void harvest(PipelineMessage message, Unwrapped unwrapped) {
        for (Layer layer : unwrapped.layers()) {
            VerificationResult v = layer.verification();
            if (v == null || v.signerCertificate().isEmpty()
                    || (v.status() != VerificationStatus.VALID && v.status() != VerificationStatus.UNTRUSTED_CHAIN)) {
                continue;
            }
            TrustStatus trust = v.valid() ? TrustStatus.TRUSTED : TrustStatus.UNTRUSTED;
            List<String> oids = v.capabilities().oids();
            byte[] capabilities = oids.isEmpty() ? null
                    : dev.sealgate.certs.SmimeCapabilities.of(oids.toArray(String[]::new)).encode();
            var stored = store.harvest(v.signerCertificate().get(), v.certificates(), trust, capabilities);
            message.tracking().operation("harvest certificate of " + v.signerAddress().orElse("unknown"),
                    trust + ", " + stored.fingerprint());
        }
    }

    private void reject(PipelineMessage message, String address, String reason) {
        message.tracking().operation("inbound policy for " + address, "rejected: " + reason);
        message.reject(address, "550 5.7.1 " + oneLine(reason));
    }

    static String stamp(VerificationStatus status) {
        return switch (status) {
            case VALID -> "valid";
            case BAD_SIGNATURE -> "invalid";
            case UNTRUSTED_CHAIN -> "untrusted";
            case EXPIRED -> "expired";
            case REVOKED -> "revoked";
            case ADDRESS_MISMATCH -> "address-mismatch";
        };
    }

    /** Every header the gateway itself sets or reads: a sender's copy of one is a forgery. */
    static void removeOwnHeaders(MimeMessage message) throws MessagingException {
        List<String> names = new ArrayList<>();
        for (var headers = message.getAllHeaders(); headers.hasMoreElements(); ) {
            String name = headers.nextElement().getName();
            if (name.toLowerCase(Locale.ROOT).startsWith(OWN_HEADER_PREFIX)) {
                names.add(name);
            }
        }
        for (String name : names) {
            message.removeHeader(name);
        }
    }

    private static void setHeader(MimeMessage message, String name, String value) {
        try {
            message.setHeader(name, value);
        } catch (MessagingException e) {
            throw new IllegalStateException("cannot set " + name + ": " + e.getMessage(), e);
        }
    }

    static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").strip();
    }
}
