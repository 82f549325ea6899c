package dev.sealgate.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sealgate.certprovider.CertificateProviderException;
import dev.sealgate.certprovider.EnrollmentRequest;
import dev.sealgate.certprovider.EnrollmentResult;
import dev.sealgate.certprovider.OrderReference;
import dev.sealgate.certprovider.ProviderFailure;
import dev.sealgate.certprovider.RevocationReason;
import dev.sealgate.certprovider.local.FileLocalCaStore;
import dev.sealgate.certprovider.local.LocalCaConfig;
import dev.sealgate.certprovider.local.LocalCaSettings;
import dev.sealgate.certprovider.local.LocalCaStore;
import dev.sealgate.certprovider.local.LocalCaStoreContract;
import dev.sealgate.certprovider.local.LocalCertificateAuthority;
import dev.sealgate.certprovider.testkit.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The local CA in the database: the store contract, the master key it depends on, and the move of
 * a single node's {@code <data-dir>/ca} into it. Run on H2 and on PostgreSQL.
 */
public interface DatabaseLocalCaStoreContract extends LocalCaStoreContract {

    MasterKey MASTER_KEY = MasterKey.random();

    DataSource dataSource();

    @Override
    default LocalCaStore emptyStore() {
        JdbcClient jdbc = JdbcClient.create(dataSource());
        Stream.of("local_ca", "local_ca_issued", "local_ca_revoked").forEach(t -> jdbc.sql("DELETE FROM " + t).update());
        return new DatabaseLocalCaStore(dataSource(), new PrivateKeyCipher(MASTER_KEY), Clock.systemUTC());
    }

    @Override
    default LocalCaStore sameStateAs(LocalCaStore store) {
        return new DatabaseLocalCaStore(dataSource(), new PrivateKeyCipher(MASTER_KEY), Clock.systemUTC());
    }

    private static X509Certificate issue(LocalCertificateAuthority ca, String address) throws Exception {
        return ((EnrollmentResult.Issued) ca.enroll(new EnrollmentRequest(address, TestPki.csr(TestPki.ecKeyPair(), address))))
                .chain().leaf();
    }

    /** A data directory's CA as the service before clusters made it: {@code <data-dir>/ca}, no crl.pem. */
    private static Path todaysCaDirectory(MasterKey masterKey) throws Exception {
        Path dataDir = Files.createTempDirectory("data-dir");
        LocalCaConfig config = new LocalCaConfig(dataDir.resolve("ca"), masterKey.derivePassword("local-ca/pkcs12"));
        LocalCertificateAuthority ca = LocalCertificateAuthority.openOrCreate(config);
        X509Certificate kept = issue(ca, "alice@corp.example");
        X509Certificate revoked = issue(ca, "bob@corp.example");
        ca.revoke(revoked, RevocationReason.KEY_COMPROMISE);
        ca.revoke(issue(ca, "carol@corp.example"), RevocationReason.SUPERSEDED);
        Files.delete(config.directory().resolve("crl.pem"));
        Files.writeString(config.directory().resolve("kept-serial"), kept.getSerialNumber().toString(16));
        Files.writeString(config.directory().resolve("revoked-serial"), revoked.getSerialNumber().toString(16));
        return dataDir;
    }

    @Test
    default void shouldKeepBothCaKeysEncryptedUnderTheMasterKey() throws Exception {
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), Clock.systemUTC());
        LocalCaStore.CaKeys keys = store.load().orElseThrow();

        byte[] storedIssuingKey = JdbcClient.create(dataSource()).sql("SELECT issuing_key FROM local_ca").query(byte[].class).single();

        byte[] plain = keys.issuingKey().getEncoded();
        assertThat(contains(storedIssuingKey, java.util.Arrays.copyOfRange(plain, plain.length - 32, plain.length)))
                .as("the key's private value is nowhere in the column").isFalse();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (java.util.Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    default void shouldRefuseToOpenUnderAnotherMasterKeyNamingTheFixAndNoSecret() throws Exception {
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), Clock.systemUTC());
        MasterKey other = MasterKey.random();

        CertificateProviderException e = catchThrowableOfType(CertificateProviderException.class,
                () -> new DatabaseLocalCaStore(dataSource(), new PrivateKeyCipher(other), Clock.systemUTC()).load());

        assertThat(e.failure()).isEqualTo(ProviderFailure.CONFIGURATION_ERROR);
        assertThat(e.getMessage()).isEqualTo("local CA in the database: its keys do not decrypt under this node's master key"
                + " — every node of a cluster needs the same sealgate.master-key; restore the one the CA was created under");
    }

    @Test
    default void shouldMoveTodaysDataDirectoryCaIntoTheDatabaseOnFirstStart() throws Exception {
        emptyStore();
        Path dataDir = todaysCaDirectory(MASTER_KEY);
        Path caDir = dataDir.resolve("ca");
        assertThat(caDir.resolve("ca.p12")).exists();
        assertThat(caDir.resolve("crl-number.txt")).hasContent("3");
        LocalCaStore.CaKeys before = new FileLocalCaStore(caDir, MASTER_KEY.derivePassword("local-ca/pkcs12")).load().orElseThrow();
        BigInteger keptSerial = new BigInteger(Files.readString(caDir.resolve("kept-serial")), 16);
        BigInteger revokedSerial = new BigInteger(Files.readString(caDir.resolve("revoked-serial")), 16);
        DatabaseLocalCaStore database = new DatabaseLocalCaStore(dataSource(), new PrivateKeyCipher(MASTER_KEY), Clock.systemUTC());

        LocalCaMigration.Outcome outcome = LocalCaMigration.moveIntoDatabase(
                new FileLocalCaStore(caDir, MASTER_KEY.derivePassword("local-ca/pkcs12")), database);

        assertThat(outcome).isEqualTo(LocalCaMigration.Outcome.MOVED);
        assertThat(caDir).doesNotExist();
        assertThat(dataDir.resolve(LocalCaMigration.MOVED_DIRECTORY).resolve("ca.p12")).exists();
        LocalCertificateAuthority after = LocalCertificateAuthority.openOrCreate(database, LocalCaSettings.defaults(), Clock.systemUTC());
        assertThat(after.caCertificates()).containsExactly(before.root(), before.issuing());
        assertThat(after.fetchChain(new OrderReference(keptSerial.toString(16), java.time.Instant.now())).leaf().getSerialNumber()).isEqualTo(keptSerial);
        X509CRL crl = after.crl();
        assertThat(crl.getRevokedCertificate(revokedSerial)).isNotNull();
        assertThat(crl.getRevokedCertificates()).hasSize(2);
        assertThat(crlNumber(crl)).as("CRL numbers keep growing").isEqualTo(BigInteger.valueOf(4));
        assertThat(LocalCaMigration.moveIntoDatabase(new FileLocalCaStore(caDir, MASTER_KEY.derivePassword("local-ca/pkcs12")),
                database)).as("the next start").isEqualTo(LocalCaMigration.Outcome.NOTHING_TO_MOVE);
    }

    @Test
    default void shouldLeaveAnotherNodesDirectoryCaAloneWhenTheDatabaseHasOneAlready() throws Exception {
        LocalCaStore store = emptyStore();
        LocalCertificateAuthority cluster = LocalCertificateAuthority.openOrCreate(store, LocalCaSettings.defaults(), Clock.systemUTC());
        Path dataDir = todaysCaDirectory(MASTER_KEY);

        LocalCaMigration.Outcome outcome = LocalCaMigration.moveIntoDatabase(
                new FileLocalCaStore(dataDir.resolve("ca"), MASTER_KEY.derivePassword("local-ca/pkcs12")),
                new DatabaseLocalCaStore(dataSource(), new PrivateKeyCipher(MASTER_KEY), Clock.systemUTC()));

        assertThat(outcome).isEqualTo(LocalCaMigration.Outcome.OTHER_CA_IN_DATABASE);
        assertThat(dataDir.resolve("ca").resolve("ca.p12")).exists();
        assertThat(store.load().orElseThrow().issuing()).isEqualTo(cluster.caCertificates().get(1));
        assertThat(store.revocations()).isEmpty();
    }

    private static BigInteger crlNumber(X509CRL crl) {
        byte[] value = crl.getExtensionValue("2.5.29.20");
        return org.bouncycastle.asn1.ASN1Integer.getInstance(
                org.bouncycastle.asn1.ASN1OctetString.getInstance(value).getOctets()).getValue();
    }
}
