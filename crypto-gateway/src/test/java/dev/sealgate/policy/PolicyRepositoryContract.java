package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sealgate.cluster.CacheGenerations;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** Storage and inheritance of crypto policies; run on H2 and on PostgreSQL. */
public interface PolicyRepositoryContract {

    DataSource dataSource();

    private PolicyRepository repository() {
        return new PolicyRepository(dataSource(), Clock.systemUTC());
    }

    @Test
    default void shouldStartWithTheDocumentedDefaults() {
        EffectivePolicy policy = new PolicyResolver(repository()).resolve("fresh" + System.nanoTime() + "@own.example");

        assertThat(policy.outboundSigning()).isEqualTo(SigningMode.AUTO);
        assertThat(policy.outboundEncryption()).isEqualTo(EncryptionMode.OPPORTUNISTIC);
        assertThat(policy.autoEnroll()).isTrue();
        assertThat(policy.inboundVerify()).isTrue();
        assertThat(policy.inboundUndecryptable()).isEqualTo(UndecryptableAction.DELIVER_ENCRYPTED);
        assertThat(repository().find(PolicyScope.GLOBAL)).isPresent();
        assertThat(policy.signatureFormat()).isEqualTo(SignatureFormat.DETACHED);
        assertThat(policy.signatureScheme()).isEqualTo(SignatureScheme.RSA_PKCS1_V1_5);
        assertThat(policy.allowWeakSignatures()).isFalse();
    }

    @Test
    default void shouldKeepTheSignatureShapeSchemeAndWeakSignatureAllowancePerScope() {
        String domain = "w" + System.nanoTime() + ".example";
        PolicyRepository repository = repository();
        repository.save(PolicyScope.domain(domain), new CryptoPolicy(null, null, null, null, null, null, null, null, null,
                null, null, null, SignatureFormat.OPAQUE, null, true));
        repository.save(PolicyScope.address("pss@" + domain), new CryptoPolicy(null, null, null, null, null, null, null, null,
                null, null, null, null, null, SignatureScheme.RSASSA_PSS, false));

        EffectivePolicy pss = new PolicyResolver(repository).resolve("pss@" + domain);
        EffectivePolicy other = new PolicyResolver(repository).resolve("other@" + domain);

        assertThat(repository.find(PolicyScope.domain(domain)).orElseThrow().allowWeakSignatures()).isTrue();
        assertThat(pss.signatureFormat()).isEqualTo(SignatureFormat.OPAQUE);
        assertThat(pss.signatureScheme()).isEqualTo(SignatureScheme.RSASSA_PSS);
        assertThat(pss.allowWeakSignatures()).isFalse();
        assertThat(other.signatureScheme()).isEqualTo(SignatureScheme.RSA_PKCS1_V1_5);
        assertThat(other.allowWeakSignatures()).isTrue();
    }

    @Test
    default void shouldInheritGlobalThenDomainThenAddress() {
        String domain = "d" + System.nanoTime() + ".example";
        PolicyRepository repository = repository();
        repository.save(PolicyScope.domain(domain), new CryptoPolicy(null, true, EncryptionMode.MANDATORY,
                MissingCertificateAction.HOLD, null, null, null, null, null, null, null, null));
        repository.save(PolicyScope.address("Bob@" + domain.toUpperCase()), new CryptoPolicy(SigningMode.ALWAYS, null,
                null, MissingCertificateAction.REJECT, null, null, ContentEncryption.AES_256_CBC, null, null, null, null, null));

        EffectivePolicy bob = new PolicyResolver(repository).resolve("Bob@" + domain);
        EffectivePolicy carol = new PolicyResolver(repository).resolve("carol@" + domain);
        EffectivePolicy lowerBob = new PolicyResolver(repository).resolve("bob@" + domain);

        assertThat(bob.outboundSigning()).isEqualTo(SigningMode.ALWAYS);
        assertThat(bob.outboundEncryption()).isEqualTo(EncryptionMode.MANDATORY);
        assertThat(bob.missingCertificate()).isEqualTo(MissingCertificateAction.REJECT);
        assertThat(bob.stripClientSignatures()).isTrue();
        assertThat(bob.settings().contentEncryption()).isEqualTo(ContentEncryption.AES_256_CBC);
        assertThat(carol.missingCertificate()).isEqualTo(MissingCertificateAction.HOLD);
        assertThat(carol.outboundSigning()).isEqualTo(SigningMode.AUTO);
        assertThat(lowerBob.outboundSigning()).isEqualTo(SigningMode.AUTO);
    }

    @Test
    default void shouldReplaceAndDeleteAPolicyButNeverTheGlobalOne() {
        PolicyScope scope = PolicyScope.parse("x" + System.nanoTime() + ".example");
        PolicyRepository repository = repository();
        repository.save(scope, new CryptoPolicy(SigningMode.NEVER, null, null, null, null, null, null, null, null, null, null, null));
        repository.save(scope, new CryptoPolicy(null, null, EncryptionMode.NEVER, null, null, null, null, null, null, null, null, null));

        assertThat(repository.find(scope)).hasValueSatisfying(p -> {
            assertThat(p.outboundSigning()).isNull();
            assertThat(p.outboundEncryption()).isEqualTo(EncryptionMode.NEVER);
        });
        assertThat(repository.all()).containsKey(scope.value());
        assertThat(repository.all().keySet().iterator().next()).isEqualTo("global");
        assertThat(repository.delete(scope)).isTrue();
        assertThat(repository.find(scope)).isEmpty();
        assertThatThrownBy(() -> repository.delete(PolicyScope.GLOBAL)).hasMessageContaining("cannot be deleted");
    }

    @Test
    default void shouldRefuseScopesThatAreNeitherGlobalDomainNorAddress() {
        assertThatThrownBy(() -> PolicyScope.parse("not a domain"))
                .hasMessageContaining("not a policy scope: 'not a domain'");
        assertThatThrownBy(() -> PolicyScope.parse("@partner.example")).hasMessageContaining("not a mail address");
    }

    /**
     * Two nodes on one database, each with its policy cache (ADR 0191): a change through one is seen
     * by the other once that node's check interval has passed, and at once by the node that made it.
     */
    @Test
    default void shouldShowAPolicyChangeOnOneNodeToTheOtherWithinTheCheckInterval() {
        Duration interval = Duration.ofSeconds(2);
        AtomicLong clockB = new AtomicLong();
        PolicyRepository nodeA = new PolicyRepository(dataSource(), Clock.systemUTC(),
                new CacheGenerations(dataSource(), interval, () -> 0L), 100);
        PolicyRepository nodeB = new PolicyRepository(dataSource(), Clock.systemUTC(),
                new CacheGenerations(dataSource(), interval, clockB::get), 100);
        String domain = "c" + System.nanoTime() + ".example";
        String address = "Someone@" + domain;
        assertThat(new PolicyResolver(nodeB).resolve(address).outboundEncryption()).isEqualTo(EncryptionMode.OPPORTUNISTIC);
        assertThat(new PolicyResolver(nodeA).resolve(address).outboundEncryption()).isEqualTo(EncryptionMode.OPPORTUNISTIC);

        nodeA.save(PolicyScope.domain(domain), new CryptoPolicy(null, null, EncryptionMode.MANDATORY, null, null, null, null, null,
                null, null, null, null, null, null, null));

        assertThat(new PolicyResolver(nodeA).resolve(address).outboundEncryption()).as("node A at once")
                .isEqualTo(EncryptionMode.MANDATORY);
        assertThat(new PolicyResolver(nodeB).resolve(address).outboundEncryption()).as("node B within its interval: cached")
                .isEqualTo(EncryptionMode.OPPORTUNISTIC);
        clockB.addAndGet(interval.toNanos());
        assertThat(new PolicyResolver(nodeB).resolve(address).outboundEncryption()).as("node B after its interval")
                .isEqualTo(EncryptionMode.MANDATORY);

        assertThat(nodeB.delete(PolicyScope.domain(domain))).isTrue();

        assertThat(new PolicyResolver(nodeB).resolve(address).outboundEncryption()).as("node B, its own delete")
                .isEqualTo(EncryptionMode.OPPORTUNISTIC);
        assertThat(nodeA.find(PolicyScope.domain(domain))).as("node A's clock stands still: cached").isPresent();
        assertThat(new PolicyRepository(dataSource(), Clock.systemUTC()).find(PolicyScope.domain(domain)))
                .as("a repository that checks before every look-up").isEmpty();
    }
}
