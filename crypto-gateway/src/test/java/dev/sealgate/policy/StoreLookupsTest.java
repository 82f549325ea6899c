package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.certs.CertificateKind;
import dev.sealgate.certs.CertificateStore;
import dev.sealgate.certs.MasterKey;
import dev.sealgate.certs.PrivateKeyCipher;
import dev.sealgate.certs.SmimeCapabilities;
import dev.sealgate.certs.TestPki;
import dev.sealgate.certs.TrustStatus;
import dev.sealgate.policy.RecipientPlan.Disposition;
import dev.sealgate.storage.TestDatabase;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The planner on the real store and stored policies: harvested capabilities decide the algorithms. */
class StoreLookupsTest {

    private static TestDatabase db;

    @BeforeAll
    static void startDatabase() {
        db = TestDatabase.h2();
    }

    @AfterAll
    static void stopDatabase() {
        db.close();
    }

    @Test
    void shouldPlanFromHarvestedCertificatesOwnKeysAndStoredPolicies() {
        CertificateStore store = new CertificateStore(db.dataSource(), new PrivateKeyCipher(MasterKey.random()), Clock.systemUTC());
        PolicyRepository repository = new PolicyRepository(db.dataSource(), Clock.systemUTC());
        TestPki pki = TestPki.create("Lookups CA");
        TestPki.Issued sender = pki.issue("alice@own.example");
        store.addOwn(sender.certificate(), sender.keys().getPrivate());
        store.harvest(pki.issue("bob@partner.example").certificate(), List.of(), TrustStatus.TRUSTED,
                SmimeCapabilities.of(SmimeCapabilities.AES256_GCM, SmimeCapabilities.RSAES_OAEP).encode());
        store.add(pki.issue("carol@legacy.example").certificate(), CertificateKind.PARTNER, TrustStatus.TRUSTED);
        repository.save(PolicyScope.parse("strict.example"), new CryptoPolicy(null, null, EncryptionMode.MANDATORY,
                MissingCertificateAction.REJECT, null, null, null, null, null, null, null, null));
        StoreLookups lookups = new StoreLookups(new PolicyResolver(repository), store, address -> false);

        RecipientPlan plan = new RecipientPlanner().plan(new RecipientPlanner.Message("alice@own.example",
                List.of("bob@partner.example", "carol@legacy.example", "dan@strict.example"), ProtectionRequest.NONE, false), lookups);

        assertThat(plan.sign()).isTrue();
        assertThat(plan.groupOf("bob@partner.example").contentEncryption()).isEqualTo(ContentEncryption.AES_256_GCM);
        assertThat(plan.recipient("bob@partner.example").keyEncryption()).isEqualTo(KeyEncryption.RSAES_OAEP);
        assertThat(plan.groupOf("carol@legacy.example").contentEncryption()).isEqualTo(ContentEncryption.AES_256_CBC);
        assertThat(plan.recipient("carol@legacy.example").keyEncryption()).isEqualTo(KeyEncryption.RSA_PKCS1_V1_5);
        assertThat(plan.groupOf("dan@strict.example").disposition()).isEqualTo(Disposition.REJECT);
    }
}
