package dev.sealgate.policy;

import dev.sealgate.certs.SmimeCapabilities;
import dev.sealgate.certs.StoredCertificate;

/**
 * The certificate the planner encrypts to for one recipient, with what its holder advertised.
 *
 * @param keyAlgorithm "RSA" or "EC"
 */
public record RecipientCertificate(long certificateId, String fingerprint, String keyAlgorithm,
                                   SmimeCapabilities capabilities) {

    public static RecipientCertificate of(StoredCertificate stored) {
        return new RecipientCertificate(stored.id(), stored.fingerprint(), stored.keyAlgorithm(), stored.capabilities());
    }
}
