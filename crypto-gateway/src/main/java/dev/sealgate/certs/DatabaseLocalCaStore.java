package dev.sealgate.certs;

import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.Pem;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.local.LocalCaStore;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The local CA of a cluster in the database (tables {@code local_ca}, {@code local_ca_issued},
 * {@code local_ca_revoked}): both CA keys AES-256-GCM under the master key, bound to their
 * certificate's fingerprint. The CA is one row with a fixed id, so two nodes starting at once on
 * an empty database insert one CA: the second insert fails on the key and that node loads the
 * first one's. See docs/adr/0105-local-ca-in-the-database.md.
 */
public final class DatabaseLocalCaStore implements LocalCaStore {

    private static final String KEY_ALGORITHM = "EC";

    private final JdbcClient jdbc;
    private final PrivateKeyCipher cipher;
    private final Clock clock;

    public DatabaseLocalCaStore(DataSource dataSource, PrivateKeyCipher cipher, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.cipher = cipher;
        this.clock = clock;
    }

    @Override
    public String describe() {
        return "the database";
    }

    @Override
    public Optional<CaKeys> load() throws CertificateProviderException {
        try {
            Optional<byte[][]> row = jdbc.sql("SELECT root_der, root_key, issuing_der, issuing_key FROM local_ca WHERE id = 1")
                    .query((rs, n) -> new byte[][] {rs.getBytes(1), rs.getBytes(2), rs.getBytes(3), rs.getBytes(4)})
                    .optional();
            if (row.isEmpty()) {
                return Optional.empty();
            }
            X509Certificate root = Pem.certificate(row.get()[0]);
            X509Certificate issuing = Pem.certificate(row.get()[2]);
            return Optional.of(new CaKeys(root, open(row.get()[1], root), issuing, open(row.get()[3], issuing)));
        } catch (GeneralSecurityException e) {
            throw failure("its CA certificates cannot be read (" + e.getMessage() + ") — restore the database from backup", e);
        } catch (DataAccessException e) {
            throw unavailable("load", e);
        }
    }

    private PrivateKey open(byte[] sealed, X509Certificate certificate) throws CertificateProviderException {
        try {
            return cipher.open(sealed, binding(certificate), KEY_ALGORITHM);
        } catch (IllegalStateException e) {
            throw failure("its keys do not decrypt under this node's master key — every node of a cluster needs the"
                    + " same sealgate.master-key; restore the one the CA was created under", e);
        }
    }

    @Override
    public CaKeys createIfAbsent(CaKeys created) throws CertificateProviderException {
        try {
            jdbc.sql("INSERT INTO local_ca (id, created_at, root_der, root_key, issuing_der, issuing_key, crl_number)"
                            + " VALUES (1, ?, ?, ?, ?, ?, 0)")
                    .params(ts(clock.instant()), created.root().getEncoded(), cipher.seal(created.rootKey(), binding(created.root())),
                            created.issuing().getEncoded(), cipher.seal(created.issuingKey(), binding(created.issuing())))
                    .update();
            return created;
        } catch (DuplicateKeyException anotherNodeWasFirst) {
            return load().orElseThrow(() -> failure("another node created the CA and it vanished again", anotherNodeWasFirst));
        } catch (GeneralSecurityException e) {
            throw failure("cannot encode the CA certificates (" + e.getMessage() + ")", e);
        } catch (DataAccessException e) {
            throw unavailable("store the new CA", e);
        }
    }

    @Override
    public boolean recordIssued(X509Certificate certificate, String address, Instant at) throws CertificateProviderException {
        try {
            jdbc.sql("INSERT INTO local_ca_issued (serial, address, issued_at, der) VALUES (?, ?, ?, ?)")
                    .params(certificate.getSerialNumber().toString(16), address, ts(at), certificate.getEncoded()).update();
            return true;
        } catch (DuplicateKeyException taken) {
            return false;
        } catch (GeneralSecurityException e) {
            throw failure("cannot encode certificate " + certificate.getSerialNumber().toString(16), e);
        } catch (DataAccessException e) {
            throw unavailable("record certificate " + certificate.getSerialNumber().toString(16), e);
        }
    }

    @Override
    public Optional<X509Certificate> issued(BigInteger serial) throws CertificateProviderException {
        try {
            Optional<byte[]> der = jdbc.sql("SELECT der FROM local_ca_issued WHERE serial = ?").param(serial.toString(16))
                    .query((rs, n) -> rs.getBytes(1)).optional();
            return der.isEmpty() ? Optional.empty() : Optional.of(Pem.certificate(der.get()));
        } catch (GeneralSecurityException e) {
            throw failure("certificate " + serial.toString(16) + " cannot be read (" + e.getMessage() + ")", e);
        } catch (DataAccessException e) {
            throw unavailable("read certificate " + serial.toString(16), e);
        }
    }

    @Override
    public boolean recordRevocation(Revocation revocation) throws CertificateProviderException {
        try {
            jdbc.sql("INSERT INTO local_ca_revoked (serial, revoked_at, reason) VALUES (?, ?, ?)")
                    .params(revocation.serial().toString(16), ts(revocation.at()), revocation.reason()).update();
            return true;
        } catch (DuplicateKeyException already) {
            return false;
        } catch (DataAccessException e) {
            throw unavailable("record the revocation of " + revocation.serial().toString(16), e);
        }
    }

    @Override
    public List<Revocation> revocations() throws CertificateProviderException {
        try {
            return jdbc.sql("SELECT serial, revoked_at, reason FROM local_ca_revoked ORDER BY revoked_at, serial")
                    .query(DatabaseLocalCaStore::revocation).list();
        } catch (DataAccessException e) {
            throw unavailable("read its revocations", e);
        }
    }

    private static Revocation revocation(ResultSet rs, int row) throws SQLException {
        return new Revocation(new BigInteger(rs.getString(1), 16), rs.getTimestamp(2).toInstant(), rs.getInt(3));
    }

    @Override
    public PublishedCrl currentCrl() throws CertificateProviderException {
        try {
            Optional<Object[]> row = jdbc.sql("SELECT crl_number, crl_der FROM local_ca WHERE id = 1")
                    .query((rs, n) -> new Object[] {rs.getLong(1), rs.getBytes(2)}).optional();
            if (row.isEmpty()) {
                return new PublishedCrl(BigInteger.ZERO, null);
            }
            byte[] der = (byte[]) row.get()[1];
            X509CRL crl = der == null ? null
                    : (X509CRL) CertificateFactory.getInstance("X.509").generateCRL(new ByteArrayInputStream(der));
            return new PublishedCrl(BigInteger.valueOf((Long) row.get()[0]), crl);
        } catch (GeneralSecurityException e) {
            throw failure("its CRL cannot be read (" + e.getMessage() + "); it is re-issued at the next request", e);
        } catch (DataAccessException e) {
            throw unavailable("read its CRL", e);
        }
    }

    @Override
    public boolean publishCrl(X509CRL crl, BigInteger number, BigInteger previous) throws CertificateProviderException {
        try {
            return jdbc.sql("UPDATE local_ca SET crl_number = ?, crl_der = ? WHERE id = 1 AND crl_number = ?")
                    .params(number.longValueExact(), crl.getEncoded(), previous.longValueExact()).update() == 1;
        } catch (GeneralSecurityException e) {
            throw failure("cannot encode its CRL", e);
        } catch (DataAccessException e) {
            throw unavailable("publish its CRL", e);
        }
    }

    /**
     * Lets CRL numbers go on from where a CA moved in from elsewhere stopped (they only ever grow);
     * the next CRL is issued at the next request.
     */
    void continueCrlNumbersAfter(BigInteger number) throws CertificateProviderException {
        try {
            jdbc.sql("UPDATE local_ca SET crl_number = ?, crl_der = NULL WHERE id = 1 AND crl_number < ?")
                    .params(number.longValueExact(), number.longValueExact()).update();
        } catch (DataAccessException e) {
            throw unavailable("set its CRL number", e);
        }
    }

    private static String binding(X509Certificate certificate) {
        return "local-ca " + Certificates.fingerprint(certificate);
    }

    private static CertificateProviderException failure(String what, Exception cause) {
        return new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in the database: " + what, cause);
    }

    private static CertificateProviderException unavailable(String what, DataAccessException e) {
        return new CertificateProviderException(ProviderFailure.CONFIGURATION_ERROR, "local CA in the database: cannot "
                + what + " (" + e.getMostSpecificCause().getMessage() + ") — check the database connection", e);
    }

    private static OffsetDateTime ts(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
