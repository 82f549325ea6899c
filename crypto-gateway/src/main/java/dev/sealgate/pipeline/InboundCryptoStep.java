package dev.sealgate.pipeline;

import dev.sealgate.certs.CertificateOrigin;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.Certificates;
import dev.sealgate.certs.MailAddress;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.policy.Direction;
import dev.sealgate.policy.EffectivePolicy;
import dev.sealgate.policy.InboundDecision;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.revocation.RevocationJudge;
import dev.sealgate.smime.CertificateRevocation;
import dev.sealgate.smime.RevocationStatus;
import dev.sealgate.smime.DecryptionResult;
import dev.sealgate.smime.SmimeDecryptor;
import dev.sealgate.smime.SmimeException;
import dev.sealgate.smime.SmimeInspector;
import dev.sealgate.smime.SmimeKeyNotFoundException;
import dev.sealgate.smime.SmimeType;
import dev.sealgate.smime.SmimeVerifier;
import dev.sealgate.smime.SignatureAlgorithm;
import dev.sealgate.smime.VerificationResult;
import dev.sealgate.smime.VerificationStatus;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.tracking.EventLog;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.ContentType;
import jakarta.mail.internet.MimePart;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The crypto step for inbound mail: takes off what the sender must not set ({@code X-Sealgate-*},
 * including {@code X-Sealgate-Flags}: inbound flags are never honoured), opens the S/MIME layers
 * the layer rules allow, verifies signatures against the store's trust anchors and CRLs, judges
 * them (weak algorithms, signing time against the Date header), applies the partners' and own
 * users' policies ({@link InboundDecision}), stamps the verdict into the message and harvests the
 * certificates of verified signers as partner certificates with the capabilities they advertised.
 *
 * <p>Layer rules (docs/adr/0090-inbound-verdicts.md): signature layers are verified one inside the
 * other; an encrypted layer is decrypted only when it is the message itself or directly inside the
 * outermost signature, any other stays closed (a captured ciphertext wrapped into someone else's
 * signature must not be decrypted and delivered as theirs: the reply oracle of EFAIL). A signature
 * over a layer that was decrypted covers the ciphertext, not the delivered text, and is not
 * credited for it. A message that is only signed is delivered with its signatures, so the user's
 * client can check them too; a decrypted one is delivered with every opened layer taken off. Works
 * in memory per layer, like the engine's unwrapper.
 *
 * <p>Stamps: {@value #SIGNATURE_HEADER} (the overall verdict), {@value #DECRYPTED_HEADER} and one
 * {@value #LAYER_HEADER_PREFIX}{@code <n>} per layer met, outermost first.
 */
public final class InboundCryptoStep implements PipelineStep {

    /** The overall signature verdict: word, signer and, when not valid, the layer it is about. */
    public static final String SIGNATURE_HEADER = "X-Sealgate-Signature";
    /** Whether the gateway decrypted the message, and how many encrypted entities it left closed. */
    public static final String DECRYPTED_HEADER = "X-Sealgate-Decrypted";
    /** Prefix of the per-layer stamps: {@code X-Sealgate-Layer-1} is the outermost layer. */
    public static final String LAYER_HEADER_PREFIX = "X-Sealgate-Layer-";
    /** How far a signature's signing time may be from the Date header by default. */
    public static final Duration DEFAULT_SIGNING_TIME_TOLERANCE = Duration.ofHours(1);
    static final String OWN_HEADER_PREFIX = "x-sealgate-";
    private static final int MAX_LAYERS = 8;
    private static final int MAX_PART_DEPTH = 16;

    private final CertificateStore store;
    private final PolicyResolver policies;
    private final EventLog events;
    private final Duration signingTimeTolerance;
    private final RevocationJudge revocation;

    /** Revocation from the store only (marked certificates, imported CRLs), soft-fail: no network. */
    public InboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events) {
        this(store, policies, events, RevocationJudge.storeOnly(store), DEFAULT_SIGNING_TIME_TOLERANCE);
    }

    public InboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events, Duration signingTimeTolerance) {
        this(store, policies, events, RevocationJudge.storeOnly(store), signingTimeTolerance);
    }

    public InboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events, RevocationJudge revocation) {
        this(store, policies, events, revocation, DEFAULT_SIGNING_TIME_TOLERANCE);
    }

    /**
     * @param revocation           the gateway's revocation checks (OCSP, CRLs, the store) and the partners'
     *                             revocation policies
     * @param signingTimeTolerance how far a signing time may be from the Date header before the
     *                             signature is {@code signing-time-mismatch}
     */
    public InboundCryptoStep(CertificateStore store, PolicyResolver policies, EventLog events, RevocationJudge revocation,
                             Duration signingTimeTolerance) {
        this.store = store;
        this.policies = policies;
        this.events = events;
        this.revocation = revocation;
        this.signingTimeTolerance = signingTimeTolerance;
    }

    /**
     * One layer as this step met it: a signature with its algorithms (null when the signer
     * certificate was not found), or an encrypted layer: decrypted, without a key, or not opened.
     */
    private record Layer(SmimeType type, VerificationResult verification, SignatureAlgorithm algorithm,
                         DecryptionResult decryption, VerdictWord encryption) {
    }

    /**
     * The layers met, the content under the last one opened, the index of the layer decrypted (-1:
     * none), whether an encrypted layer had no key, and the encrypted MIME parts inside the content.
     */
    private record Unwrapped(List<Layer> layers, MimeMessage content, int decryptedAt, boolean undecryptable,
                             int encryptedParts) {

        boolean encrypted() {
            return undecryptable || decryptedAt >= 0;
        }

        boolean signed() {
            return layers.stream().anyMatch(l -> l.type().signed());
        }

        boolean coversDelivered(int index) {
            return decryptedAt < 0 || index > decryptedAt;
        }
    }

    /** A signature layer's result with the one-line reason for tracking. */
    private record Judged(VerdictWord word, String reason) {
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
        try (MessageFiles.SpooledMessage spooled = message.read(delivery.content())) {
            processDelivery(message, delivery, spooled.mime());
        }
    }

    private void processDelivery(PipelineMessage message, Delivery delivery, MimeMessage original) throws IOException {
        Unwrapped unwrapped;
        try {
            unwrapped = unwrap(original);
        } catch (SmimeException e) {
            // the engine's text names library classes: it goes to tracking and the event log, not to the sender
            boolean notMime = !hasParsableContentType(original);
            String reply = notMime
                    ? "550 5.6.0 the message's Content-Type header cannot be parsed (malformed MIME); the sender must"
                            + " correct it and send the message again"
                    : "550 5.7.5 the S/MIME content of the message cannot be processed (malformed, truncated or"
                            + " unsupported); the sender must send it again";
            message.tracking().operation("unwrap", "failed: " + oneLine(e.getMessage()));
            events.warning("crypto", "Refused an inbound message from <" + message.envelope().sender()
                    + (notMime ? ">: its Content-Type header cannot be parsed" : ">: its S/MIME content cannot be processed"),
                    e.getMessage(), message.reference());
            delivery.recipients().forEach(r -> message.reject(r.address(), reply));
            return;
        }
        EffectivePolicy senderPolicy = message.envelope().sender().isEmpty()
                ? policies.resolveNullSender() : policies.resolve(message.envelope().sender());
        // the Date header is parsed only when a signature's signing time is compared with it
        InboundVerdict verdict = judge(message, unwrapped, senderPolicy, () -> sentDate(original));
        InboundDecision.Facts facts = new InboundDecision.Facts(unwrapped.encrypted(), !unwrapped.undecryptable(), unwrapped.signed());
        InboundDecision delivered = null;
        for (EnvelopeRecipient recipient : delivery.recipients()) {
            InboundDecision decision = InboundDecision.decide(senderPolicy, policies.resolve(recipient.address()), facts);
            if (decision.action() == InboundDecision.Action.REJECT) {
                reject(message, recipient.address(), decision.reason());
            } else if (decision.signatureRequired() && !holds(verdict, unwrapped)) {
                reject(message, recipient.address(), "mail from " + senderPolicy.address()
                        + " must carry a valid signature (policy " + senderPolicy.inboundRequirement() + ") but "
                        + verdict.signatureHeader().map(s -> "its signature is " + s).orElse("came unsigned"));
            } else {
                delivered = decision;
            }
        }
        if (delivered == null) {
            return;
        }
        // the recipient's policy may turn verification off: then no signature verdict and no harvest
        InboundVerdict stamped = delivered.verify() ? verdict : verdict.unchecked();
        raiseVerdictEvents(message, stamped);
        if (delivered.verify()) {
            harvest(message, unwrapped, verdict);
        }
        boolean decrypt = delivered.action() == InboundDecision.Action.DELIVER && unwrapped.decryptedAt() >= 0;
        MimeMessage result = decrypt ? unwrapped.content() : original;
        try {
            removeOwnHeaders(result);
            stamped.signatureHeader().ifPresent(s -> setHeader(result, SIGNATURE_HEADER, s));
            setHeader(result, DECRYPTED_HEADER, stamped.decryptedHeader(decrypt));
            for (InboundVerdict.Layer layer : stamped.layers()) {
                setHeader(result, LAYER_HEADER_PREFIX + layer.number(), layer.header());
            }
        } catch (MessagingException e) {
            throw new IOException("cannot rewrite the header of message " + message.messageId() + ": " + e.getMessage(), e);
        }
        message.tracking().operation("inbound", delivered.action() + " (" + delivered.reason() + "), decrypted="
                + stamped.decryptedHeader(decrypt) + stamped.signatureHeader().map(s -> ", signature=" + s).orElse(""));
        message.transform(delivery, out -> MessageFiles.write(result, out));
    }

    /** Whether the message's own Content-Type parses (absent counts as text/plain, RFC 2045). */
    private static boolean hasParsableContentType(MimeMessage message) {
        try {
            String value = message.getHeader("Content-Type", null);
            if (value != null) {
                new ContentType(value);
            }
            return true;
        } catch (MessagingException e) {
            return false;
        }
    }

    private Unwrapped unwrap(MimeMessage message) {
        List<Layer> layers = new ArrayList<>();
        MimeMessage current = message;
        int decryptedAt = -1;
        SmimeVerifier verifier = null;
        SmimeDecryptor decryptor = new SmimeDecryptor(StoreKeys.resolver(store));
        while (true) {
            SmimeType type = SmimeInspector.detect(current);
            if (!type.signed() && !type.encrypted()) {
                return new Unwrapped(layers, current, decryptedAt, false, encryptedParts(current, 0));
            }
            if (layers.size() == MAX_LAYERS) {
                throw new SmimeException("more than " + MAX_LAYERS + " nested S/MIME layers; the message is crafted or broken");
            }
            if (type.encrypted() && !openable(layers)) {
                layers.add(new Layer(type, null, null, null, VerdictWord.NOT_OPENED));
                return new Unwrapped(layers, current, decryptedAt, false, 0);
            }
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            if (type.signed()) {
                if (verifier == null) {
                    verifier = new SmimeVerifier(revocation.trust(StoreKeys.trust(store)));
                }
                VerificationResult v = verifier.verify(current, inner);
                markRevoked(v);
                MimeMessage signed = current;
                SignatureAlgorithm algorithm = v.signerCertificate().flatMap(c -> SignatureAlgorithm.of(signed, c)).orElse(null);
                layers.add(new Layer(type, v, algorithm, null, null));
            } else {
                try {
                    layers.add(new Layer(type, null, null, decryptor.decrypt(current, inner), VerdictWord.DECRYPTED));
                    decryptedAt = layers.size() - 1;
                } catch (SmimeKeyNotFoundException e) {
                    layers.add(new Layer(type, null, null, null, VerdictWord.NO_KEY));
                    return new Unwrapped(layers, current, decryptedAt, true, 0);
                }
            }
            current = MessageFiles.parse(inner.toByteArray());
        }
    }

    /** An encrypted layer is opened only as the message itself or directly inside the outermost signature. */
    private static boolean openable(List<Layer> outer) {
        return outer.isEmpty() || (outer.size() == 1 && outer.get(0).type().signed());
    }

    /** Encrypted entities inside the content's MIME tree (parts, attached messages): the gateway never opens them. */
    private static int encryptedParts(Part part, int depth) {
        if (depth > MAX_PART_DEPTH) {
            return 0;
        }
        try {
            if (part.isMimeType("multipart/*") && part.getContent() instanceof Multipart multipart) {
                int n = 0;
                for (int i = 0; i < multipart.getCount(); i++) {
                    n += encryptedParts(multipart.getBodyPart(i), depth + 1);
                }
                return n;
            }
            if (part.isMimeType("message/rfc822") && part.getContent() instanceof Part attached) {
                return encryptedParts(attached, depth + 1);
            }
            return depth > 0 && part instanceof MimePart mime && SmimeInspector.detect(mime).encrypted() ? 1 : 0;
        } catch (MessagingException | IOException | SmimeException unreadable) {
            // a part that does not parse holds nothing the gateway could have opened
            return 0;
        }
    }

    /** Each layer's verdict; signature layers judged by the engine, then by algorithm and signing time. */
    private InboundVerdict judge(PipelineMessage message, Unwrapped unwrapped, EffectivePolicy sender, Supplier<Optional<Instant>> date) {
        List<InboundVerdict.Layer> verdicts = new ArrayList<>();
        int closed = unwrapped.encryptedParts();
        for (int i = 0; i < unwrapped.layers().size(); i++) {
            Layer layer = unwrapped.layers().get(i);
            int number = i + 1;
            String name = "layer " + number + " " + layer.type().name().toLowerCase(Locale.ROOT).replace('_', '-');
            if (layer.type().signed()) {
                VerificationResult v = layer.verification();
                Judged judged = judgeSignature(message, layer, sender, date);
                boolean covers = unwrapped.coversDelivered(i);
                verdicts.add(new InboundVerdict.Layer(number, true, judged.word(), covers, v.signerAddress()));
                message.tracking().operation("verify " + name, judged.word() + "; signer=" + v.signerAddress().orElse("unknown")
                        + "; covers=" + (covers ? "content" : "ciphertext") + " (" + oneLine(judged.reason()) + ")");
                for (CertificateRevocation r : v.revocation()) {
                    message.tracking().operation("revocation " + name + " " + r.certificate().getSubjectX500Principal().getName(),
                            oneLine(describe(r.status())));
                }
                continue;
            }
            Optional<String> recipient = layer.decryption() == null ? Optional.empty()
                    : StoreKeys.recipientAddress(store, layer.decryption().recipient());
            verdicts.add(new InboundVerdict.Layer(number, false, layer.encryption(), false, recipient));
            message.tracking().operation("decrypt " + name, switch (layer.encryption()) {
                case DECRYPTED -> "ok, " + layer.decryption().contentEncryption().map(Enum::name)
                        .orElse(layer.decryption().contentEncryptionOid()) + recipient.map(r -> ", key of " + r).orElse("");
                case NO_KEY -> "no key held for any recipient of this layer";
                default -> "not opened: it is neither the message itself nor directly inside its outermost signature "
                        + "(a captured ciphertext is never decrypted into someone else's mail)";
            });
            if (layer.encryption() == VerdictWord.NOT_OPENED) {
                closed++;
            }
        }
        if (unwrapped.encryptedParts() > 0) {
            message.tracking().operation("encrypted parts", unwrapped.encryptedParts() + " encrypted MIME part(s) inside the "
                    + "message left closed for the recipient's client");
        }
        return new InboundVerdict(verdicts, closed);
    }

    private Judged judgeSignature(PipelineMessage message, Layer layer, EffectivePolicy sender, Supplier<Optional<Instant>> sentDate) {
        VerificationResult v = layer.verification();
        VerdictWord word = VerdictWord.of(v.status());
        if (word != VerdictWord.VALID) {
            return new Judged(word, v.reason());
        }
        SignatureAlgorithm algorithm = layer.algorithm();
        if (algorithm != null && !algorithm.strong()) {
            String weak = String.join(", ", algorithm.weaknesses());
            if (!sender.allowWeakSignatures()) {
                return new Judged(VerdictWord.WEAK_ALGORITHM, weak + ": not a valid signature today; for a transition set "
                        + "allowWeakSignatures in the policy of the partner's domain");
            }
            String domain = MailAddress.parse(sender.address()).domain();
            events.warning("crypto", "Accepted a weak signature from " + domain + " under its policy's transition allowance "
                    + "(allowWeakSignatures)", weak + "; signer " + v.signerAddress().orElse("unknown") + ", message "
                    + message.messageId(), message.reference());
            message.tracking().operation("weak signature allowed", weak + " (allowWeakSignatures of " + domain + ")");
        }
        Optional<Instant> date = v.signingTime().isPresent() ? sentDate.get() : Optional.empty();
        if (v.signingTime().isPresent() && date.isPresent()
                && Duration.between(v.signingTime().get(), date.get()).abs().compareTo(signingTimeTolerance) > 0) {
            return new Judged(VerdictWord.SIGNING_TIME_MISMATCH, "signed at " + v.signingTime().get() + " but the Date header says "
                    + date.get() + ": more than " + signingTimeTolerance + " apart");
        }
        return new Judged(word, v.reason());
    }

    private static Optional<Instant> sentDate(MimeMessage message) {
        try {
            return Optional.ofNullable(message.getSentDate()).map(java.util.Date::toInstant);
        } catch (MessagingException unparsable) {
            return Optional.empty();
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

    /**
     * Whether the signatures satisfy a policy that requires a valid one: valid, or valid but for a
     * revocation status nobody could determine, where the partner's revocation policy is soft-fail
     * (the stamp still says revocation-unknown).
     */
    private boolean holds(InboundVerdict verdict, Unwrapped unwrapped) {
        if (verdict.valid()) {
            return true;
        }
        return verdict.overall().filter(w -> w == VerdictWord.REVOCATION_UNKNOWN).isPresent()
                && unwrapped.layers().stream().filter(l -> l.verification() != null)
                        .allMatch(l -> revocation.countsAsValid(l.verification()));
    }

    private static String describe(RevocationStatus status) {
        if (status instanceof RevocationStatus.Revoked revoked) {
            return "revoked: " + revoked.reason() + " since " + revoked.time() + " (" + revoked.source() + ")";
        }
        return (status instanceof RevocationStatus.Unknown ? "unknown: " : "good: ") + status.source();
    }

    /**
     * Keeps the signer certificates of signatures that hold (trusted or not), with what they
     * advertised; not those of weak signatures, whose keys must not be encrypted to either.
     */
    private void harvest(PipelineMessage message, Unwrapped unwrapped, InboundVerdict verdict) {
        for (int i = 0; i < unwrapped.layers().size(); i++) {
            VerificationResult v = unwrapped.layers().get(i).verification();
            if (v == null || v.signerCertificate().isEmpty() || verdict.layers().get(i).result() == VerdictWord.WEAK_ALGORITHM
                    || (v.status() != VerificationStatus.VALID && v.status() != VerificationStatus.UNTRUSTED_CHAIN
                    && v.status() != VerificationStatus.REVOCATION_UNKNOWN)) {
                continue;
            }
            TrustStatus trust = revocation.countsAsValid(v) ? TrustStatus.TRUSTED : TrustStatus.UNTRUSTED;
            List<String> oids = v.capabilities().oids();
            byte[] capabilities = oids.isEmpty() ? null
                    : dev.sealgate.certs.SmimeCapabilities.of(oids.toArray(String[]::new)).encode();
            var stored = store.harvest(v.signerCertificate().get(), v.certificates(), trust, capabilities,
                    CertificateOrigin.harvested(message.envelope().sender(), message.messageId()));
            message.tracking().operation("harvest certificate of " + v.signerAddress().orElse("unknown"),
                    trust + ", " + stored.fingerprint());
            List<X509Certificate> chain = new ArrayList<>(List.of(v.signerCertificate().get()));
            chain.addAll(store.chain(v.signerCertificate().get()));
            revocation.prefetch(chain);
        }
    }

    /**
     * A signature that does not hold for a reason the sender or an attacker is behind (changed content,
     * revoked or expired certificate, another signer than the From, weak algorithms, a signing time far
     * off), and an encrypted layer none of the gateway's keys opens, are events of this message (ADR
     * 0200). A chain to no trust anchor is not: partners of unknown CAs would raise one per message.
     */
    private void raiseVerdictEvents(PipelineMessage message, InboundVerdict verdict) {
        for (InboundVerdict.Layer layer : verdict.layers()) {
            String sender = message.envelope().sender();
            switch (layer.result()) {
                case INVALID, REVOKED, EXPIRED, ADDRESS_MISMATCH, WEAK_ALGORITHM, SIGNING_TIME_MISMATCH ->
                        events.warning("crypto", "The signature of an inbound message from <" + sender + "> does not hold: "
                                + layer.result().word(), "layer " + layer.number() + layer.party().map(p -> ", signer " + p).orElse(""),
                                message.reference());
                case NO_KEY -> events.warning("crypto", "Could not decrypt an inbound message from <" + sender + ">: the gateway"
                        + " holds no key for any recipient of its encrypted layer", "layer " + layer.number()
                        + "; delivered still encrypted unless the policy refuses undecryptable mail", message.reference());
                default -> {
                }
            }
        }
    }

    private void reject(PipelineMessage message, String address, String reason) {
        events.warning("policy", "Refused inbound mail from <" + message.envelope().sender() + "> to " + address + " by policy",
                oneLine(reason), message.reference());
        message.tracking().operation("inbound policy for " + address, "rejected: " + reason);
        message.reject(address, "550 5.7.1 " + oneLine(reason));
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
