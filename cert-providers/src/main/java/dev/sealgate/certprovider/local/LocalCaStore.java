package dev.sealgate.certprovider.local;

import dev.sealgate.certprovider.CertificateProviderException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the embedded CA keeps its state: its keys and certificates, the certificates it issued,
 * its revocations and its current CRL. Several CA instances (one per node) may share one store;
 * every method is safe against a concurrent caller on another node: creating the CA and
 * publishing a CRL are compare-and-set, serials and revocations are unique.
 *
 * <p>Implementations: {@link FileLocalCaStore} (a directory, the layout before clusters) and the
 * database store of the service. Failures are {@link CertificateProviderException}s with
 * {@code CONFIGURATION_ERROR}; their messages name the store, never a key or password.
 */
public interface LocalCaStore {

    /** Both CA key pairs with their certificates. */
    record CaKeys(X509Certificate root, PrivateKey rootKey, X509Certificate issuing, PrivateKey issuingKey) {

        @Override
        public String toString() {
            return "CaKeys[root=" + root.getSubjectX500Principal() + ", issuing=" + issuing.getSubjectX500Principal()
                    + ", keys=***]";
        }
    }

    /** One revoked serial: when, and the CRL reason code. */
    record Revocation(BigInteger serial, Instant at, int reason) {
    }

    /**
     * The CRL last published and its number.
     *
     * @param number 0 before the first CRL
     * @param crl    null when no CRL is kept (a directory of the old layout keeps only the number)
     */
    record PublishedCrl(BigInteger number, X509CRL crl) {
    }

    /** The CA, or empty before its first start. */
    Optional<CaKeys> load() throws CertificateProviderException;

    /**
     * Stores {@code created} unless a CA is stored already (another node was first); returns the
     * CA that is stored now.
     */
    CaKeys createIfAbsent(CaKeys created) throws CertificateProviderException;

    /** Records an issued certificate; false when its serial is taken already (the caller draws another). */
    boolean recordIssued(X509Certificate certificate, String address, Instant at) throws CertificateProviderException;

    Optional<X509Certificate> issued(BigInteger serial) throws CertificateProviderException;

    /** Records a revocation; false when the serial was revoked already. */
    boolean recordRevocation(Revocation revocation) throws CertificateProviderException;

    /** Every revocation, oldest first. */
    List<Revocation> revocations() throws CertificateProviderException;

    PublishedCrl currentCrl() throws CertificateProviderException;

    /**
     * Publishes {@code crl} with {@code number} if the published CRL still has {@code previous};
     * false when another CA instance published one first.
     */
    boolean publishCrl(X509CRL crl, BigInteger number, BigInteger previous) throws CertificateProviderException;

    /** Where the state lives, for messages: "directory /srv/data/ca", "the database". */
    String describe();
}
