package dev.sealgate.pipeline;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.Certificates;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.policy.Direction;
import dev.sealgate.policy.EffectivePolicy;
import dev.sealgate.policy.InboundDecision;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.revocation.RevocationJudge;
import dev.sealgate.smime.CertificateRevocation;
import dev.sealgate.smime.DecryptionResult;
import dev.sealgate.smime.RevocationStatus;
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
    private final RevocationJudge revocation;

    /** Revocation from the store only (marked certificates, imported CRLs), soft-fail: no network. */
    public InboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events) {
        this(store, policies, events, RevocationJudge.storeOnly(store));
    }

    /** With the gateway's revocation checks (OCSP, CRLs, the store) and the partners' revocation policies. */
    public InboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events, RevocationJudge revocation) {
        this.store = store;
        this.policies = policies;
        this.events = events;
        this.revocation = revocation;
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
        MimeMessage original = MessageFiles.read(delivery.content());
        Unwrapped unwrapped;
        try {
            unwrapped = unwrap(original);
        } catch (SmimeException e) {
            // the engine's text names library classes: it goes to tracking and the event log, not to the sender
            String reply = "550 5.7.5 the S/MIME content of the message cannot be processed (malformed, truncated or"
                    + " unsupported); the sender must send it again";
            message.tracking().operation("unwrap", "failed: " + oneLine(e.getMessage()));
            events.warning("crypto", "Refused an inbound message from <" + message.envelope().sender()
                    + ">: its S/MIME content cannot be processed", e.getMessage());
            delivery.recipients().forEach(r -> message.reject(r.address(), reply));
            return;
        }
        record(message, unwrapped);
        Optional<VerificationResult> outermost = unwrapped.outermostSignature();
        boolean validSignature = unwrapped.layers().stream()
                .anyMatch(l -> l.verification() != null && revocation.countsAsValid(l.verification()));
        InboundDecision.Facts facts = new InboundDecision.Facts(unwrapped.encrypted(), !unwrapped.undecryptable(), unwrapped.signed());
        EffectivePolicy senderPolicy = message.envelope().sender().isEmpty()
                ? policies.resolveNullSender() : policies.resolve(message.envelope().sender());
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
                    verifier = new SmimeVerifier(revocation.trust(StoreKeys.trust(store)));
                }
                VerificationResult v = verifier.verify(current, inner);
                markRevoked(v);
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

    /** A certificate found revoked is marked so in the store: it is no longer chosen to encrypt to. */
    private void markRevoked(VerificationResult v) {
        for (CertificateRevocation r : v.revocation()) {
            if (r.status() instanceof RevocationStatus.Revoked revoked) {
                store.findByFingerprint(Certificates.fingerprint(r.certificate()))
                        .filter(stored -> stored.revokedAt() == null)
                        .ifPresent(stored -> store.markRevoked(stored.id(), revoked.time()));
            }
        }
    }

    private void record(PipelineMessage message, Unwrapped unwrapped) {
        int n = 1;
        for (Layer layer : unwrapped.layers()) {
            String name = "layer " + n++ + " " + layer.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (layer.verification() != null) {
                VerificationResult v = layer.verification();
                message.tracking().operation("verify " + name, stamp(v.status()) + "; signer=" + v.signerAddress().orElse("unknown")
                        + " (" + oneLine(v.reason()) + ")");
                for (CertificateRevocation r : v.revocation()) {
                    message.tracking().operation("revocation " + name + " " + r.certificate().getSubjectX500Principal().getName(),
                            oneLine(describe(r.status())));
                }
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
                    || (v.status() != VerificationStatus.VALID && v.status() != VerificationStatus.UNTRUSTED_CHAIN
                    && v.status() != VerificationStatus.REVOCATION_UNKNOWN)) {
                continue;
            }
            TrustStatus trust = revocation.countsAsValid(v) ? TrustStatus.TRUSTED : TrustStatus.UNTRUSTED;
            List<String> oids = v.capabilities().oids();
            byte[] capabilities = oids.isEmpty() ? null
                    : dev.sealgate.certs.SmimeCapabilities.of(oids.toArray(String[]::new)).encode();
            var stored = store.harvest(v.signerCertificate().get(), v.certificates(), trust, capabilities);
            message.tracking().operation("harvest certificate of " + v.signerAddress().orElse("unknown"),
                    trust + ", " + stored.fingerprint());
            List<X509Certificate> chain = new ArrayList<>(List.of(v.signerCertificate().get()));
            chain.addAll(store.chain(v.signerCertificate().get()));
            revocation.prefetch(chain);
        }
    }

    private static String describe(RevocationStatus status) {
        if (status instanceof RevocationStatus.Revoked revoked) {
            return "revoked: " + revoked.reason() + " since " + revoked.time() + " (" + revoked.source() + ")";
        }
        return (status instanceof RevocationStatus.Unknown ? "unknown: " : "good: ") + status.source();
    }

    private void reject(PipelineMessage message, String address, String reason) {
        message.tracking().operation("inbound policy for " + address, "rejected: " + reason);
        message.reject(address, "550 5.7.1 " + oneLine(reason));
    }

    static String stamp(VerificationStatus status) {
        return switch (status) {
            case VALID -> "valid";
            case REVOCATION_UNKNOWN -> "revocation-unknown";
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
