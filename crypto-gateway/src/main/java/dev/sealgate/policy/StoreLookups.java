package dev.sealgate.policy;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.KeyPurpose;
import dev.sealgate.certs.StoredCertificate;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The planner's lookups answered from the certificate store and the stored policies, as the
 * pipeline uses them. One instance per message: it remembers the certificates it handed to the
 * planner, so that the step encrypts to the very certificate that was planned without reading it
 * again ({@link #chosen}).
 */
public final class StoreLookups implements RecipientPlanner.Lookups {

    private final PolicyResolver policies;
    private final CertificateStore store;
    private final Predicate<String> canEnroll;
    private final Map<Long, StoredCertificate> chosen = new ConcurrentHashMap<>();

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
        return store.findUsableCached(address, KeyPurpose.ENCRYPTION, includeUntrusted).map(stored -> {
            chosen.put(stored.id(), stored);
            return RecipientCertificate.of(stored);
        });
    }

    /** A certificate this instance handed to the planner, by its id. */
    public Optional<StoredCertificate> chosen(long certificateId) {
        return Optional.ofNullable(chosen.get(certificateId));
    }

    @Override
    public boolean hasSigningKey(String sender) {
        return store.findUsableCached(sender, KeyPurpose.SIGNING, false).isPresent();
    }

    @Override
    public boolean canEnroll(String sender) {
        return canEnroll.test(sender);
    }
}
