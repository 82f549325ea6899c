package dev.sealgate.enrollment;

import dev.sealgate.certs.StoredCertificate;

/**
 * Told when an enrolled certificate has arrived in the store, so that the queue can release the
 * messages it held for that address. Called on the thread that stored it; must not block long.
 */
@FunctionalInterface
public interface CertificateIssuedListener {

    void certificateIssued(String address, StoredCertificate certificate);
}
