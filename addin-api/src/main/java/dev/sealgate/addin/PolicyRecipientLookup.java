package dev.sealgate.addin;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.KeyPurpose;
import dev.sealgate.certs.MailAddress;
import dev.sealgate.policy.EffectivePolicy;
import dev.sealgate.policy.ProtectionRequest;
import dev.sealgate.policy.RecipientCertificate;
import dev.sealgate.policy.RecipientPlan;
import dev.sealgate.policy.RecipientPlanner;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recipient answers from the certificate store and the crypto policies: the crypto policy's
 * {@link RecipientPlanner} plans the message as if the sender had pressed "encrypt", and each
 * external recipient's group becomes the answer (ENCRYPT: encrypted; PLAIN or HOLD: the fallback;
 * REJECT: rejected). Internal recipients are delivered to the company mail server and are not planned.
 *
 * <p>Signing is left out of the question: a sender whose signing certificate is still being
 * enrolled would otherwise see every recipient "held", which says nothing about encryption.
 */
final class PolicyRecipientLookup implements RecipientLookup {

    private final RecipientPlanner planner;
    private final RecipientPlanner.Lookups lookups;
    private final CertificateStore store;
    private final Set<String> ownDomains;

    PolicyRecipientLookup(RecipientPlanner planner, RecipientPlanner.Lookups lookups, CertificateStore store, List<String> ownDomains) {
        this.planner = planner;
        this.lookups = new EncryptionOnly(lookups);
        this.store = store;
        this.ownDomains = ownDomains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    }

    @Override
    public List<RecipientStatus> check(String sender, List<String> recipients) {
        List<String> external = recipients.stream().filter(r -> !internal(r)).toList();
        RecipientPlan plan = external.isEmpty() ? null
                : planner.plan(new RecipientPlanner.Message(sender, external, new ProtectionRequest(true, null), false), lookups);
        List<RecipientStatus> answers = new ArrayList<>(recipients.size());
        for (String recipient : recipients) {
            boolean certificate = store.findUsable(recipient, KeyPurpose.ENCRYPTION, false).isPresent();
            if (internal(recipient)) {
                answers.add(new RecipientStatus(recipient, true, certificate, EncryptionOutcome.ENCRYPTED));
            } else {
                RecipientPlan.Disposition disposition = plan.groupOf(MailAddress.parse(recipient).toString()).disposition();
                answers.add(new RecipientStatus(recipient, false, certificate, outcome(disposition)));
            }
        }
        return answers;
    }

    static EncryptionOutcome outcome(RecipientPlan.Disposition disposition) {
        return switch (disposition) {
            case ENCRYPT -> EncryptionOutcome.ENCRYPTED;
            case PLAIN, HOLD -> EncryptionOutcome.FALLBACK;
            case REJECT -> EncryptionOutcome.REJECTED;
        };
    }

    private boolean internal(String recipient) {
        return ownDomains.contains(MailAddress.parse(recipient).domain());
    }

    /** The store's answers, with the sender's signing key taken as present: this check is about encryption. */
    private record EncryptionOnly(RecipientPlanner.Lookups delegate) implements RecipientPlanner.Lookups {

        @Override
        public EffectivePolicy policyFor(String address) {
            return delegate.policyFor(address);
        }

        @Override
        public Optional<RecipientCertificate> encryptionCertificate(String address, boolean includeUntrusted) {
            return delegate.encryptionCertificate(address, includeUntrusted);
        }

        @Override
        public boolean hasSigningKey(String sender) {
            return true;
        }

        @Override
        public boolean canEnroll(String sender) {
            return delegate.canEnroll(sender);
        }
    }
}
