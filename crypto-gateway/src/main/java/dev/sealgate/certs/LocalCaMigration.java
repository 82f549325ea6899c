package dev.sealgate.certs;

import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.local.FileLocalCaStore;
import dev.sealgate.certprovider.local.LocalCaStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;

/**
 * Moves the local CA of a single node ({@code <data-dir>/ca}, the layout of {@link FileLocalCaStore})
 * into the database on first start: keys, issued certificates, revocations, and the CRL number, so
 * that CRL numbers keep growing. Safe to run again after an interruption: every step skips what is
 * there already. The directory is renamed to {@code ca.moved-to-database} afterwards, kept as a
 * backup; it is not read again.
 */
public final class LocalCaMigration {

    /** What happened to the directory. */
    public enum Outcome {
        /** No CA in the directory. */
        NOTHING_TO_MOVE,
        /** The CA is in the database now; the directory was renamed. */
        MOVED,
        /**
         * The database holds another CA (another node was first): the directory stays where it is and
         * is no longer used; the certificates it issued stay valid, but its CRL is no longer published.
         */
        OTHER_CA_IN_DATABASE
    }

    public static final String MOVED_DIRECTORY = "ca.moved-to-database";

    private LocalCaMigration() {
    }

    public static Outcome moveIntoDatabase(FileLocalCaStore directory, DatabaseLocalCaStore database)
            throws CertificateProviderException {
        if (!directory.exists()) {
            return Outcome.NOTHING_TO_MOVE;
        }
        LocalCaStore.CaKeys keys = directory.load().orElseThrow();
        LocalCaStore.CaKeys stored = database.createIfAbsent(keys);
        if (!stored.issuing().equals(keys.issuing())) {
            return Outcome.OTHER_CA_IN_DATABASE;
        }
        for (X509Certificate certificate : directory.allIssued()) {
            database.recordIssued(certificate, address(certificate), certificate.getNotBefore().toInstant());
        }
        for (LocalCaStore.Revocation revocation : directory.revocations()) {
            database.recordRevocation(revocation);
        }
        database.continueCrlNumbersAfter(directory.currentCrl().number());
        Path from = directory.directory();
        Path to = from.resolveSibling(MOVED_DIRECTORY);
        try {
            if (Files.exists(to)) {
                to = from.resolveSibling(MOVED_DIRECTORY + "-" + System.currentTimeMillis());
            }
            Files.move(from, to);
        } catch (IOException e) {
            throw new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR,
                    "local CA: moved into the database, but " + from + " cannot be renamed to " + to + " (" + e.getMessage()
                            + ") — rename or remove it by hand; until then every start checks it again", e);
        }
        return Outcome.MOVED;
    }

    private static String address(X509Certificate certificate) {
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    if (Integer.valueOf(1).equals(name.get(0))) {
                        return String.valueOf(name.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            return certificate.getSubjectX500Principal().getName();
        }
        return certificate.getSubjectX500Principal().getName();
    }
}
