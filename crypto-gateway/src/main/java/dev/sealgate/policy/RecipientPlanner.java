package dev.sealgate.policy;

import dev.sealgate.certs.MailAddress;
import dev.sealgate.certs.SmimeCapabilities;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides, for one outbound message, what each recipient gets: encrypted (with which algorithms),
 * plain, held or rejected, and whether the message is signed. Pure: policies and certificates come
 * through {@link Lookups}; no storage, no clock.
 *
 * <p>Rules:
 * <ul>
 * <li>Signing follows the sender's policy. ALWAYS, or WHEN_KEY_EXISTS with an explicit sign request,
 * without a key: the whole message is held for enrollment when the sender can enroll, else rejected.
 * AUTO without a key: held for enrollment when the sender can enroll, else sent unsigned (a note
 * records it). NEVER is not overruled by a request (a note records it). A no-sign request is
 * ignored under ALWAYS, honoured under AUTO and WHEN_KEY_EXISTS.</li>
 * <li>A recipient's encryption mode combines sender's and recipient's policy: MANDATORY on either
 * side wins, then NEVER on either side, then OPPORTUNISTIC, else WHEN_REQUESTED.</li>
 * <li>Meeting requests (text/calendar) are not encrypted opportunistically unless both policies
 * allow it; mandatory encryption and an explicit request still apply.</li>
 * <li>An explicit encrypt request makes encryption required for each recipient; under NEVER that
 * recipient is rejected rather than sent plain against the sender's wish. A plain request never
 * weakens MANDATORY.</li>
 * <li>Opportunistic recipients are encrypted only if every one of them has a usable certificate;
 * otherwise they all go plain, so that no copy leaks what another protects.</li>
 * <li>A must-encrypt recipient without a certificate gets the stricter missing-certificate action
 * of both policies (REJECT over HOLD over SEND_PLAIN).</li>
 * <li>Algorithms: a pin in the recipient's policy wins; else AES-256-GCM and RSAES-OAEP only where
 * the recipient's certificate holder advertised them, AES-256-CBC and PKCS#1 v1.5 otherwise; EC
 * certificates use ECDH.</li>
 * </ul>
 */
public final class RecipientPlanner {

    /** What the planner needs to know about addresses. */
    public interface Lookups {

        EffectivePolicy policyFor(String address);

        /** The best usable encryption certificate; untrusted ones only when asked to include them. */
        Optional<RecipientCertificate> encryptionCertificate(String address, boolean includeUntrusted);

        boolean hasSigningKey(String sender);

        /** Whether a certificate for the sender can be enrolled (auto-enroll on and a provider for it). */
        boolean canEnroll(String sender);
    }

    /**
     * @param meetingRequest the message is a text/calendar meeting request
     */
    public record Message(String sender, List<String> recipients, ProtectionRequest request, boolean meetingRequest) {
        public Message {
            recipients = List.copyOf(recipients);
            request = request == null ? ProtectionRequest.NONE : request;
        }
    }

    private enum Need {
        REQUIRED,
        OPPORTUNISTIC,
        PLAIN,
        REFUSED
    }

    public RecipientPlan plan(Message message, Lookups lookups) {
        String sender = MailAddress.parse(message.sender()).toString();
        List<String> recipients = distinct(message.recipients());
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("a message to plan needs at least one recipient");
        }
        EffectivePolicy senderPolicy = lookups.policyFor(sender);
        List<String> notes = new ArrayList<>();
        Boolean signRequest = message.request().sign();

        boolean sign;
        SigningMode signing = senderPolicy.outboundSigning();
        boolean mustSign = signing == SigningMode.ALWAYS
                || (signing == SigningMode.WHEN_KEY_EXISTS && Boolean.TRUE.equals(signRequest));
        if (signing == SigningMode.NEVER) {
            sign = false;
            if (Boolean.TRUE.equals(signRequest)) {
                notes.add("signing was requested but the policy for " + sender + " says NEVER; not signed");
            }
        } else if (signing != SigningMode.ALWAYS && Boolean.FALSE.equals(signRequest)) {
            sign = false;
        } else if (lookups.hasSigningKey(sender)) {
            sign = true;
            if (signing == SigningMode.ALWAYS && Boolean.FALSE.equals(signRequest)) {
                notes.add("a no-sign request was overruled: signing is mandatory for " + sender);
            }
        } else if (mustSign) {
            String why = signing == SigningMode.ALWAYS ? "signing is mandatory for " + sender : "signing was requested by " + sender;
            if (lookups.canEnroll(sender)) {
                return whole(RecipientPlan.Disposition.HOLD, recipients, notes,
                        "held: " + why + " and its certificate is being enrolled");
            }
            return whole(RecipientPlan.Disposition.REJECT, recipients, notes,
                    "no signing certificate for " + sender + ": " + why + " and none can be enrolled; import one "
                            + "(PKCS#12) or enable enrollment for its domain");
        } else if (signing == SigningMode.AUTO && lookups.canEnroll(sender)) {
            return whole(RecipientPlan.Disposition.HOLD, recipients, notes,
                    "held: " + sender + " is signed by default and its certificate is being enrolled");
        } else {
            sign = false;
            if (signing == SigningMode.AUTO) {
                notes.add("not signed: no signing certificate for " + sender + " and none can be enrolled (not an own "
                        + "domain with a provider, or auto-enrollment off)");
            }
        }

        Map<String, Need> needs = new LinkedHashMap<>();
        Map<String, String> reasons = new LinkedHashMap<>();
        Map<String, EffectivePolicy> policies = new LinkedHashMap<>();
        for (String recipient : recipients) {
            EffectivePolicy policy = lookups.policyFor(recipient);
            policies.put(recipient, policy);
            EncryptionMode mode = combine(senderPolicy.outboundEncryption(), policy.outboundEncryption());
            Boolean encryptRequest = message.request().encrypt();
            Need need;
            String reason;
            if (mode == EncryptionMode.MANDATORY) {
                need = Need.REQUIRED;
                reason = "encryption is mandatory for " + recipient;
                if (Boolean.FALSE.equals(encryptRequest)) {
                    notes.add("a plain request was overruled for " + recipient + ": encryption is mandatory");
                }
            } else if (Boolean.TRUE.equals(encryptRequest)) {
                need = mode == EncryptionMode.NEVER ? Need.REFUSED : Need.REQUIRED;
                reason = mode == EncryptionMode.NEVER
                        ? "encryption was requested but the policy for " + recipient + " says NEVER; sender must "
                                + "resend without the request or the admin change the policy"
                        : "encryption was requested by the sender";
            } else if (Boolean.FALSE.equals(encryptRequest)) {
                need = Need.PLAIN;
                reason = "plain was requested by the sender";
            } else if (mode == EncryptionMode.OPPORTUNISTIC && message.meetingRequest()
                    && !(senderPolicy.encryptMeetingRequests() && policy.encryptMeetingRequests())) {
                need = Need.PLAIN;
                reason = "meeting request: not encrypted opportunistically";
            } else if (mode == EncryptionMode.OPPORTUNISTIC) {
                need = Need.OPPORTUNISTIC;
                reason = "opportunistic encryption";
            } else {
                need = Need.PLAIN;
                reason = "policy " + mode + " for " + recipient;
            }
            needs.put(recipient, need);
            reasons.put(recipient, reason);
        }

        Map<String, RecipientCertificate> certificates = new LinkedHashMap<>();
        for (Map.Entry<String, Need> entry : needs.entrySet()) {
            if (entry.getValue() == Need.REQUIRED || entry.getValue() == Need.OPPORTUNISTIC) {
                boolean untrusted = policies.get(entry.getKey()).allowUntrustedCertificates();
                lookups.encryptionCertificate(entry.getKey(), untrusted).ifPresent(c -> certificates.put(entry.getKey(), c));
            }
        }
        List<String> opportunisticWithout = needs.entrySet().stream()
                .filter(e -> e.getValue() == Need.OPPORTUNISTIC && !certificates.containsKey(e.getKey()))
                .map(Map.Entry::getKey).toList();

        Map<ContentEncryption, List<RecipientPlan.Recipient>> encrypted = new EnumMap<>(ContentEncryption.class);
        List<RecipientPlan.Recipient> plain = new ArrayList<>();
        List<RecipientPlan.Recipient> held = new ArrayList<>();
        List<RecipientPlan.Recipient> rejected = new ArrayList<>();
        for (String recipient : recipients) {
            Need need = needs.get(recipient);
            String reason = reasons.get(recipient);
            RecipientCertificate certificate = certificates.get(recipient);
            EffectivePolicy policy = policies.get(recipient);
            switch (need) {
                case REFUSED -> rejected.add(new RecipientPlan.Recipient(recipient, null, null, reason));
                case PLAIN -> plain.add(new RecipientPlan.Recipient(recipient, null, null, reason));
                case OPPORTUNISTIC -> {
                    if (opportunisticWithout.isEmpty()) {
                        addEncrypted(encrypted, recipient, certificate, policy, reason);
                    } else {
                        plain.add(new RecipientPlan.Recipient(recipient, null, null,
                                "opportunistic encryption skipped: not every recipient has a usable certificate (none for "
                                        + String.join(", ", opportunisticWithout) + ")"));
                    }
                }
                case REQUIRED -> {
                    if (certificate != null) {
                        addEncrypted(encrypted, recipient, certificate, policy, reason);
                        continue;
                    }
                    MissingCertificateAction action = stricter(senderPolicy.missingCertificate(), policy.missingCertificate());
                    String missing = "no certificate for " + recipient + ": " + reason;
                    switch (action) {
                        case REJECT -> rejected.add(new RecipientPlan.Recipient(recipient, null, null,
                                missing + "; import one or change the policy"));
                        case HOLD -> held.add(new RecipientPlan.Recipient(recipient, null, null,
                                missing + "; held until a certificate is imported, harvested or enrolled"));
                        case SEND_PLAIN -> plain.add(new RecipientPlan.Recipient(recipient, null, null,
                                missing + "; sent plain as the policy allows"));
                    }
                }
            }
        }

        List<RecipientPlan.Group> groups = new ArrayList<>();
        encrypted.forEach((algorithm, list) -> groups.add(new RecipientPlan.Group(RecipientPlan.Disposition.ENCRYPT, algorithm, list)));
        addGroup(groups, RecipientPlan.Disposition.PLAIN, plain);
        addGroup(groups, RecipientPlan.Disposition.HOLD, held);
        addGroup(groups, RecipientPlan.Disposition.REJECT, rejected);
        return new RecipientPlan(sign, sign && senderPolicy.stripClientSignatures(), groups, notes);
    }

    private static void addEncrypted(Map<ContentEncryption, List<RecipientPlan.Recipient>> encrypted, String recipient,
                                     RecipientCertificate certificate, EffectivePolicy policy, String reason) {
        ContentEncryption content = contentEncryption(certificate, policy);
        KeyEncryption key = keyEncryption(certificate, policy);
        encrypted.computeIfAbsent(content, c -> new ArrayList<>())
                .add(new RecipientPlan.Recipient(recipient, certificate, key, reason));
    }

    static ContentEncryption contentEncryption(RecipientCertificate certificate, EffectivePolicy policy) {
        if (policy.settings().contentEncryption() != null) {
            return policy.settings().contentEncryption();
        }
        return certificate.capabilities().advertises(SmimeCapabilities.AES256_GCM)
                ? ContentEncryption.AES_256_GCM : ContentEncryption.AES_256_CBC;
    }

    static KeyEncryption keyEncryption(RecipientCertificate certificate, EffectivePolicy policy) {
        if (!"RSA".equals(certificate.keyAlgorithm())) {
            return KeyEncryption.ECDH;
        }
        KeyEncryption pinned = policy.settings().keyEncryption();
        if (pinned != null && pinned != KeyEncryption.ECDH) {
            return pinned;
        }
        return certificate.capabilities().advertises(SmimeCapabilities.RSAES_OAEP)
                ? KeyEncryption.RSAES_OAEP : KeyEncryption.RSA_PKCS1_V1_5;
    }

    static EncryptionMode combine(EncryptionMode sender, EncryptionMode recipient) {
        if (sender == EncryptionMode.MANDATORY || recipient == EncryptionMode.MANDATORY) {
            return EncryptionMode.MANDATORY;
        }
        if (sender == EncryptionMode.NEVER || recipient == EncryptionMode.NEVER) {
            return EncryptionMode.NEVER;
        }
        if (sender == EncryptionMode.OPPORTUNISTIC || recipient == EncryptionMode.OPPORTUNISTIC) {
            return EncryptionMode.OPPORTUNISTIC;
        }
        return EncryptionMode.WHEN_REQUESTED;
    }

    private static MissingCertificateAction stricter(MissingCertificateAction a, MissingCertificateAction b) {
        return a.ordinal() <= b.ordinal() ? a : b;
    }

    private static RecipientPlan whole(RecipientPlan.Disposition disposition, List<String> recipients, List<String> notes,
                                       String reason) {
        List<RecipientPlan.Recipient> all = recipients.stream()
                .map(r -> new RecipientPlan.Recipient(r, null, null, reason)).toList();
        return new RecipientPlan(false, false, List.of(new RecipientPlan.Group(disposition, null, all)), notes);
    }

    private static void addGroup(List<RecipientPlan.Group> groups, RecipientPlan.Disposition disposition,
                                 List<RecipientPlan.Recipient> recipients) {
        if (!recipients.isEmpty()) {
            groups.add(new RecipientPlan.Group(disposition, null, recipients));
        }
    }

    private static List<String> distinct(List<String> recipients) {
        Set<String> seen = new LinkedHashSet<>();
        for (String recipient : recipients) {
            seen.add(MailAddress.parse(recipient).toString());
        }
        return List.copyOf(seen);
    }
}
