package dev.sealgate.pipeline;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.KeyPurpose;
import dev.sealgate.certs.OwnKey;
import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.enrollment.EnrollmentOutcome;
import dev.sealgate.enrollment.EnrollmentService;
import dev.sealgate.flags.AddinFlagsStep;
import dev.sealgate.flags.MessageFlags;
import dev.sealgate.policy.Direction;
import dev.sealgate.policy.EffectivePolicy;
import dev.sealgate.policy.PolicyResolver;
import dev.sealgate.policy.ProtectionRequest;
import dev.sealgate.policy.RecipientPlan;
import dev.sealgate.policy.RecipientPlanner;
import dev.sealgate.policy.SigningMode;
import dev.sealgate.policy.StoreLookups;
import dev.sealgate.policy.SubjectFlags;
import dev.sealgate.queue.SpooledContent;
import dev.sealgate.smime.ContentEncryption;
import dev.sealgate.smime.EncryptionOptions;
import dev.sealgate.smime.KeyEncryption;
import dev.sealgate.smime.RecipientSpec;
import dev.sealgate.smime.SignatureFormat;
import dev.sealgate.smime.SignatureScheme;
import dev.sealgate.smime.SigningOptions;
import dev.sealgate.smime.SmimeEncryptor;
import dev.sealgate.smime.SmimeException;
import dev.sealgate.smime.SmimeInspector;
import dev.sealgate.smime.SmimeSigner;
import dev.sealgate.smime.SmimeVerifier;
import dev.sealgate.smtp.EnvelopeRecipient;
import dev.sealgate.tracking.EventLog;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeUtility;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UnsupportedEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The crypto step for outbound mail. Per message: the sender's requests (add-in flags resolved by
 * {@link AddinFlagsStep}, subject flags {@code [encrypt]} {@code [sign]} {@code [nosign]}
 * {@code [plain]}, which are taken out of the subject), enrollment of the sender's certificate when
 * policy says sign and there is none, then the {@link RecipientPlanner}'s plan: the message is
 * signed once (client signatures stripped when the policy says so), and each group of recipients
 * becomes its own delivery, encrypted with the algorithms its certificates advertised, plain,
 * held, or rejected (the sender gets a failure notice naming the recipient). Every decision goes
 * into tracking.
 *
 * <p>While the sender's certificate is being enrolled, the whole message is held as received with
 * the reason {@value #WAITING_FOR_CERTIFICATE} and the resolved request in {@value #REQUEST_HEADER};
 * {@link CertificateHolds} runs the step again on it when the certificate arrives.
 */
public final class OutboundCryptoStep implements PipelineStep {

    /** Start of the hold reason of messages that wait for their sender's certificate. */
    public static final String WAITING_FOR_CERTIFICATE = "waiting for the certificate of ";
    /** Start of the hold reason of recipients that must be encrypted to but have no usable certificate (policy HOLD). */
    public static final String WAITING_FOR_RECIPIENT_CERTIFICATE = "waiting for a recipient certificate: ";
    /** The request resolved when the message was first processed, kept on a held copy only. */
    static final String REQUEST_HEADER = "X-Sealgate-Request";
    private static final Pattern REQUEST = Pattern.compile("encrypt=(true|false|none); sign=(true|false|none)");

    private final CertificateStore store;
    private final PolicyResolver policies;
    private final RecipientPlanner planner;
    private final EnrollmentService enrollment;
    private final EventLog events;
    private final boolean encryptToSelf;

    /**
     * @param encryptToSelf add the sender's own certificate as a recipient of every encrypted copy
     */
    public OutboundCryptoStep(CertificateStore store, PolicyResolver policies, RecipientPlanner planner,
                              EnrollmentService enrollment, EventLog events, boolean encryptToSelf) {
        this.store = store;
        this.policies = policies;
        this.planner = planner;
        this.enrollment = enrollment;
        this.events = events;
        this.encryptToSelf = encryptToSelf;
    }

    @Override
    public void process(PipelineMessage message) throws IOException {
        if (message.direction() != Direction.OUTBOUND || message.envelope().sender().isEmpty()) {
            return;
        }
        process(message, addinRequest(message));
    }

    /** Runs the step on a message held while its sender's certificate was enrolled. */
    void processHeld(PipelineMessage message) throws IOException {
        Delivery first = message.deliveries().get(0);
        ProtectionRequest request;
        try (MessageFiles.SpooledMessage held = MessageFiles.read(first.content())) {
            request = parseRequest(held.mime().getHeader(REQUEST_HEADER, null));
        } catch (MessagingException e) {
            throw new IOException("cannot read the header of held message " + message.messageId() + ": " + e.getMessage(), e);
        }
        process(message, request);
    }

    private void process(PipelineMessage message, ProtectionRequest addin) throws IOException {
        String sender = message.envelope().sender();
        for (Delivery delivery : message.deliveries()) {
            try (MessageFiles.SpooledMessage spooled = message.read(delivery.content())) {
                process(message, delivery, spooled.mime(), addin, sender);
            }
        }
    }

    private void process(PipelineMessage message, Delivery delivery, MimeMessage mime, ProtectionRequest addin, String sender)
            throws IOException {
        SubjectFlags subject = SubjectFlags.parse(decodedSubject(mime));
        ProtectionRequest request = addin.and(subject.request());
        if (!subject.flags().isEmpty()) {
            message.tracking().operation("subject flags", subject.flags().toString().toLowerCase(Locale.ROOT)
                    + " removed from the subject");
        }
        Optional<ProtectionRequest> planned = ensureSigningKey(message, delivery, sender, addin, request);
        if (planned.isEmpty()) {
            return;
        }
        List<String> recipients = delivery.recipients().stream().map(EnvelopeRecipient::address).toList();
        StoreLookups lookups = new StoreLookups(policies, store, enrollment::canEnroll);
        RecipientPlan plan = planner.plan(new RecipientPlanner.Message(sender, recipients, planned.get(), isMeetingRequest(mime)),
                lookups);
        plan.notes().forEach(note -> message.tracking().operation("policy", note));
        apply(message, delivery, mime, subject, plan, addin, lookups);
    }

    /**
     * Enrolls the sender's certificate when the policy (or a request) says sign and there is none.
     * Returns the request to plan with, or empty when the delivery was held or rejected for it.
     * Under {@link SigningMode#AUTO} an enrollment that failed for good means unsigned, not refused.
     */
    private Optional<ProtectionRequest> ensureSigningKey(PipelineMessage message, Delivery delivery, String sender,
                                                         ProtectionRequest addin, ProtectionRequest request) throws IOException {
        EffectivePolicy policy = policies.resolve(sender);
        SigningMode mode = policy.outboundSigning();
        boolean mustSign = mode == SigningMode.ALWAYS
                || (mode == SigningMode.WHEN_KEY_EXISTS && Boolean.TRUE.equals(request.sign()))
                || (mode == SigningMode.AUTO && !Boolean.FALSE.equals(request.sign()));
        if (!mustSign || store.findUsableCached(sender, KeyPurpose.SIGNING, false).isPresent() || !enrollment.canEnroll(sender)) {
            return Optional.of(request);
        }
        EnrollmentOutcome outcome = enrollment.ensureCertificate(sender);
        message.tracking().operation("enroll certificate for " + sender, outcome.status() + ": " + outcome.reason());
        if (mode == SigningMode.AUTO && (outcome.status() == EnrollmentOutcome.Status.FAILED
                || outcome.status() == EnrollmentOutcome.Status.NOT_ENROLLABLE)) {
            events.warning("crypto", "Sent mail of " + sender.toLowerCase(Locale.ROOT) + " unsigned: its certificate could not be "
                    + "enrolled (policy AUTO signs when it can)", outcome.reason(), message.reference());
            message.tracking().operation("sign", "no: enrollment failed and the policy AUTO sends unsigned then");
            return Optional.of(new ProtectionRequest(request.encrypt(), false));
        }
        switch (outcome.status()) {
            case AVAILABLE, ISSUED -> {
                return Optional.of(request);
            }
            case PENDING -> {
                String reason = WAITING_FOR_CERTIFICATE + sender.toLowerCase(Locale.ROOT) + " (enrollment request " + outcome.request().id()
                        + "); released when it is issued";
                keepAsReceived(message, delivery, delivery.content(), addin);
                message.hold(delivery, reason);
                message.tracking().operation("hold", reason);
                return Optional.empty();
            }
            default -> {
                String reply = "550 5.7.1 no signing certificate for " + sender + ": signing is required and enrollment failed ("
                        + InboundCryptoStep.oneLine(outcome.reason()) + "); import one (PKCS#12) or fix the provider";
                events.warning("crypto", "Refused mail from " + sender + ": signing is required and its certificate could not be enrolled",
                        outcome.reason(), message.reference());
                delivery.recipients().forEach(r -> message.reject(r.address(), reply));
                return Optional.empty();
            }
        }
    }

    private void apply(PipelineMessage message, Delivery delivery, MimeMessage mime, SubjectFlags subject, RecipientPlan plan,
                       ProtectionRequest addin, StoreLookups lookups) throws IOException {
        String sender = message.envelope().sender();
        SpooledContent received = delivery.content();
        for (RecipientPlan.Group group : plan.groups(RecipientPlan.Disposition.REJECT)) {
            for (RecipientPlan.Recipient r : group.recipients()) {
                message.tracking().operation("reject " + r.address(), r.reason());
                message.reject(r.address(), "550 5.7.1 " + InboundCryptoStep.oneLine(r.reason()));
            }
        }
        if (!message.deliveries().contains(delivery)) {
            return;
        }
        try {
            prepareHeader(mime, subject);
            if (plan.sign() && plan.stripClientSignatures() && SmimeInspector.detect(mime).signed()) {
                mime = stripSignature(mime);
                message.tracking().operation("strip client signature", "ok");
            }
        } catch (MessagingException | SmimeException e) {
            throw new IOException("cannot prepare message " + message.messageId() + " for signing: " + e.getMessage(), e);
        }
        MimeMessage prepared = mime;
        Signing signing = plan.sign() ? signing(sender) : null;
        List<RecipientPlan.Group> sent = plan.groups().stream().filter(g -> g.disposition() != RecipientPlan.Disposition.REJECT).toList();
        if (sent.size() == 1 && sent.get(0).disposition() == RecipientPlan.Disposition.ENCRYPT
                && sent.get(0).recipients().size() == delivery.recipients().size()) {
            // One encrypted copy for every recipient left (the common case): signed and encrypted in
            // one pass, no signed copy spooled and parsed again in between (ADR 0198).
            encrypt(message, delivery, sent.get(0), sender, lookups, prepared, signing);
            return;
        }
        if (signing != null) {
            message.transform(delivery, out -> signing.signer().sign(prepared, out));
            message.tracking().operation("sign", signing.tracked());
        } else {
            message.transform(delivery, out -> MessageFiles.write(prepared, out));
            message.tracking().operation("sign", "no (policy " + policies.resolve(sender).outboundSigning() + ")");
        }
        for (RecipientPlan.Group group : plan.groups()) {
            switch (group.disposition()) {
                case ENCRYPT -> encrypt(message, own(message, delivery, group), group, sender, lookups, null, null);
                case HOLD -> {
                    // held as received, so that processing it again later (certificate found, or an admin's
                    // release under a changed policy) starts from the sender's message, not from a plain copy
                    Delivery held = own(message, delivery, group);
                    keepAsReceived(message, held, received, addin);
                    String reason = WAITING_FOR_RECIPIENT_CERTIFICATE + group.recipients().get(0).reason();
                    message.hold(held, reason);
                    message.tracking().operation("hold " + String.join(", ", group.addresses()), reason);
                }
                case PLAIN -> group.recipients().forEach(r -> message.tracking().operation("plain " + r.address(), r.reason()));
                case REJECT -> {
                    // rejected above, before any content was written
                }
            }
        }
    }

    /** Replaces a held delivery's content with the message as received, marked with the add-in's request. */
    private static void keepAsReceived(PipelineMessage message, Delivery held, SpooledContent received, ProtectionRequest addin)
            throws IOException {
        String marker = REQUEST_HEADER + ": " + formatRequest(addin) + "\r\n";
        message.transform(held, out -> {
            out.write(marker.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            try (var in = received.open()) {
                in.transferTo(out);
            }
        });
    }

    /** The delivery for a group: split off unless the group is everything that is left of it. */
    private static Delivery own(PipelineMessage message, Delivery delivery, RecipientPlan.Group group) {
        if (delivery.recipients().size() == group.recipients().size()) {
            return delivery;
        }
        return message.split(delivery, group.addresses());
    }

    /** The signer for the sender's message, and what tracking says about it. */
    private record Signing(SmimeSigner signer, String tracked) {
    }

    private Signing signing(String sender) throws IOException {
        OwnKey key = store.signingKey(sender).orElseThrow(() -> new IOException("the signing key of " + sender
                + " vanished from the store while the message was processed; the client will send again"));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(key.certificate());
        key.chain().stream().filter(c -> !c.equals(key.certificate())).forEach(chain::add);
        EffectivePolicy policy = policies.resolve(sender);
        SigningOptions options = signingOptions(policy, key.certificate());
        return new Signing(new SmimeSigner(key.privateKey(), chain, options), "ok, certificate " + key.stored().fingerprint() + ", "
                + options.format().name().toLowerCase(Locale.ROOT) + ", " + options.scheme());
    }

    /**
     * Encrypts the delivery for the group: its content as spooled (already signed, or not), or, with
     * {@code prepared}, the prepared message, signed on the way when {@code signing} is given.
     */
    private void encrypt(PipelineMessage message, Delivery delivery, RecipientPlan.Group group, String sender,
                         StoreLookups lookups, MimeMessage prepared, Signing signing) throws IOException {
        List<RecipientSpec> recipients = new ArrayList<>();
        for (RecipientPlan.Recipient r : group.recipients()) {
            long id = r.certificate().certificateId();
            Optional<StoredCertificate> planned = lookups.chosen(id);
            StoredCertificate certificate = (planned.isPresent() ? planned : store.get(id)).orElseThrow(() -> new IOException(
                    "the certificate of " + r.address() + " vanished from the store while the message was processed"));
            recipients.add(new RecipientSpec(certificate.certificate(), keyEncryption(r.keyEncryption())));
        }
        EncryptionOptions options = EncryptionOptions.defaults().withContentEncryption(contentEncryption(group.contentEncryption()));
        String self = "";
        if (encryptToSelf) {
            Optional<StoredCertificate> own = store.findUsableCached(sender, KeyPurpose.ENCRYPTION, false);
            if (own.isPresent()) {
                options = options.withEncryptToSelf(RecipientSpec.of(own.get().certificate()));
                self = ", encrypted to self";
            }
        }
        SmimeEncryptor encryptor = new SmimeEncryptor(options);
        if (prepared == null) {
            try (MessageFiles.SpooledMessage signed = MessageFiles.read(delivery.content())) {
                message.transform(delivery, out -> encryptor.encrypt(signed.mime(), recipients, out));
            }
        } else if (signing != null) {
            message.transform(delivery, out -> encryptor.encryptSigned(prepared, signing.signer(), recipients, out));
            message.tracking().operation("sign", signing.tracked());
        } else {
            message.transform(delivery, out -> encryptor.encrypt(prepared, recipients, out));
            message.tracking().operation("sign", "no (policy " + policies.resolve(sender).outboundSigning() + ")");
        }
        for (RecipientPlan.Recipient r : group.recipients()) {
            message.tracking().operation("encrypt for " + r.address(), "ok, " + group.contentEncryption() + " + " + r.keyEncryption()
                    + ", certificate " + r.certificate().fingerprint() + self + " (" + r.reason() + ")");
        }
    }

    /** The engine's defaults for the key, with the shape and RSA scheme the sender's policy chose. */
    static SigningOptions signingOptions(EffectivePolicy policy, X509Certificate certificate) {
        return SigningOptions.defaultsFor(certificate)
                .withFormat(switch (policy.signatureFormat()) {
                    case DETACHED -> SignatureFormat.DETACHED;
                    case OPAQUE -> SignatureFormat.OPAQUE;
                })
                .withScheme(switch (policy.signatureScheme()) {
                    case RSA_PKCS1_V1_5 -> SignatureScheme.RSA_PKCS1_V15;
                    case RSASSA_PSS -> SignatureScheme.RSA_PSS;
                });
    }

    private static ContentEncryption contentEncryption(dev.sealgate.policy.ContentEncryption planned) {
        return switch (planned) {
            case AES_256_GCM -> ContentEncryption.AES256_GCM;
            case AES_256_CBC -> ContentEncryption.AES256_CBC;
        };
    }

    private static KeyEncryption keyEncryption(dev.sealgate.policy.KeyEncryption planned) {
        return switch (planned) {
            case RSAES_OAEP -> KeyEncryption.RSA_OAEP;
            case RSA_PKCS1_V1_5 -> KeyEncryption.RSA_PKCS1_V15;
            case ECDH -> KeyEncryption.ECDH;
        };
    }

    /** Subject without the flags; no header of the gateway's own (the add-in's was read already) leaves. */
    private static void prepareHeader(MimeMessage mime, SubjectFlags subject) throws MessagingException {
        InboundCryptoStep.removeOwnHeaders(mime);
        if (!subject.flags().isEmpty()) {
            mime.setSubject(subject.subject(), "UTF-8");
        }
    }

    /** The content under the client's signature; whether that signature holds does not matter here. */
    private MimeMessage stripSignature(MimeMessage signed) {
        ByteArrayOutputStream inner = new ByteArrayOutputStream();
        new SmimeVerifier(StoreKeys.trust(store)).verify(signed, inner);
        return MessageFiles.parse(inner.toByteArray());
    }

    private ProtectionRequest addinRequest(PipelineMessage message) {
        Optional<MessageFlags> flags = AddinFlagsStep.resolved(message).flags();
        return flags.map(f -> new ProtectionRequest(f.encrypt(), f.sign())).orElse(ProtectionRequest.NONE);
    }

    static String formatRequest(ProtectionRequest request) {
        return "encrypt=" + (request.encrypt() == null ? "none" : request.encrypt()) + "; sign="
                + (request.sign() == null ? "none" : request.sign());
    }

    static ProtectionRequest parseRequest(String header) {
        if (header == null) {
            return ProtectionRequest.NONE;
        }
        Matcher m = REQUEST.matcher(header.strip());
        if (!m.matches()) {
            return ProtectionRequest.NONE;
        }
        return new ProtectionRequest(bool(m.group(1)), bool(m.group(2)));
    }

    private static Boolean bool(String value) {
        return "none".equals(value) ? null : Boolean.valueOf(value);
    }

    private static String decodedSubject(MimeMessage mime) throws IOException {
        try {
            String raw = mime.getHeader("Subject", null);
            if (raw == null) {
                return null;
            }
            try {
                return MimeUtility.decodeText(MimeUtility.unfold(raw));
            } catch (UnsupportedEncodingException e) {
                return MimeUtility.unfold(raw);
            }
        } catch (MessagingException e) {
            throw new IOException("cannot read the subject: " + e.getMessage(), e);
        }
    }

    /** A text/calendar entity at the top or in a multipart (Outlook puts it in multipart/alternative). */
    static boolean isMeetingRequest(Part part) throws IOException {
        try {
            if (part.isMimeType("text/calendar")) {
                return true;
            }
            if (part.isMimeType("multipart/*") && !part.isMimeType("multipart/signed")) {
                Multipart multipart = (Multipart) part.getContent();
                for (int i = 0; i < multipart.getCount(); i++) {
                    BodyPart child = multipart.getBodyPart(i);
                    if (isMeetingRequest(child)) {
                        return true;
                    }
                }
            }
            return false;
        } catch (MessagingException e) {
            return false;
        }
    }
}
