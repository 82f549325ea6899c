package dev.sealgate.pipeline;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.StoredCertificate;
import dev.sealgate.smime.RecipientKeyResolver;
import dev.sealgate.smime.RecipientReference;
import dev.sealgate.smime.TrustSettings;
import java.security.PrivateKey;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the crypto steps take from the certificate store: the engine's key-lookup callback (issuer
 * and serial number first, then subject key identifier) and the trust settings for verifying.
 */
final class StoreKeys {

    private StoreKeys() {
    }

    /** Resolves a recipient info to an own private key held in the store. */
    static RecipientKeyResolver resolver(CertificateStore store) {
        return reference -> lookup(store, reference).filter(StoredCertificate::hasPrivateKey)
                .map(stored -> (PrivateKey) store.ownKey(stored).privateKey());
    }

    /** The first address of the own certificate a recipient info names, for the stamp. */
    static Optional<String> recipientAddress(CertificateStore store, RecipientReference reference) {
        return lookup(store, reference).flatMap(stored -> stored.addresses().stream().findFirst());
    }

    private static Optional<StoredCertificate> lookup(CertificateStore store, RecipientReference reference) {
        Optional<StoredCertificate> byIssuer = reference.issuer().isPresent() && reference.serialNumber().isPresent()
                ? store.findByIssuerAndSerial(reference.issuer().get(), reference.serialNumber().get())
                : Optional.empty();
        if (byIssuer.isPresent() && byIssuer.get().hasPrivateKey()) {
            return byIssuer;
        }
        return reference.subjectKeyIdentifier().flatMap(store::findBySubjectKeyIdentifier).or(() -> byIssuer);
    }

    /**
     * The store's trust anchors and intermediates. CRLs are not handed to the engine (it would then
     * demand one for every CA of every path, and partners' CAs often publish none); revocation is
     * the revocation checker's ({@code dev.sealgate.revocation.RevocationJudge#trust}), which reads
     * the stored CRLs among its sources.
     */
    static TrustSettings trust(CertificateStore store) {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (X509Certificate anchor : store.trustAnchors()) {
            anchors.add(new TrustAnchor(anchor, null));
        }
        return new TrustSettings(anchors, store.intermediates(), List.of(), Optional.empty());
    }
}
