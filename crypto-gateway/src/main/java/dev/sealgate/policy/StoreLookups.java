package dev.sealgate.policy;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.KeyPurpose;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The planner's lookups answered from the certificate store and the stored policies, as the
 * pipeline uses them.
 */
public final class StoreLookups implements RecipientPlanner.Lookups {

    private final PolicyResolver policies;
    private final CertificateStore store;
    private final Predicate<String> canEnroll;

    /**
     * @param canEnroll whether a sender's certificate can be enrolled, usually
     *                  {@code EnrollmentService::canEnroll}
     */
    public StoreLookups(PolicyResolver policies, CertificateStore store, Predicate<String> canEnroll) {
        this.policies = policies;
        this.store = store;
        this.canEnroll = canEnroll;
    }

    @Override
    public EffectivePolicy policyFor(String address) {
        return policies.resolve(address);
    }

    @Override
    public Optional<RecipientCertificate> encryptionCertificate(String address, boolean includeUntrusted) {
        return store.findUsable(address, KeyPurpose.ENCRYPTION, includeUntrusted).map(RecipientCertificate::of);
    }

    @Override
    public boolean hasSigningKey(String sender) {
        return store.findUsable(sender, KeyPurpose.SIGNING, false).isPresent();
    }

    @Override
    public boolean canEnroll(String sender) {
        return canEnroll.test(sender);
    }
}
