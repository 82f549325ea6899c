package dev.sealgate.revocation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sealgate.policy.PolicyScope;
import java.time.Clock;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The per-partner policy for an unknown revocation status; run on H2 and on PostgreSQL. */
public interface RevocationPoliciesContract {

    DataSource dataSource();

    private RevocationPolicies policies(UnknownRevocation fallback) {
        return new RevocationPolicies(dataSource(), Clock.systemUTC(), fallback);
    }

    private static String domain() {
        return "p" + System.nanoTime() + ".example";
    }

    @Test
    default void shouldApplyTheConfiguredDefaultWhenNoScopeSaysOtherwise() {
        String address = "anna@" + domain();

        assertThat(policies(UnknownRevocation.SOFT_FAIL).forAddress(address)).isEqualTo(UnknownRevocation.SOFT_FAIL);
        assertThat(policies(UnknownRevocation.HARD_FAIL).forAddress(address)).isEqualTo(UnknownRevocation.HARD_FAIL);
    }

    @Test
    default void shouldLetTheAddressOverrideItsDomainAndTheDomainOverrideGlobal() {
        String domain = domain();
        RevocationPolicies policies = policies(UnknownRevocation.SOFT_FAIL);
        policies.save(PolicyScope.domain(domain), UnknownRevocation.HARD_FAIL);
        policies.save(PolicyScope.address("Relaxed@" + domain), UnknownRevocation.SOFT_FAIL);

        assertThat(policies.forAddress("strict@" + domain.toUpperCase())).isEqualTo(UnknownRevocation.HARD_FAIL);
        assertThat(policies.forAddress("Relaxed@" + domain)).isEqualTo(UnknownRevocation.SOFT_FAIL);
        assertThat(policies.forAddress("someone@" + domain())).isEqualTo(UnknownRevocation.SOFT_FAIL);
    }

    @Test
    default void shouldInheritAgainOnceTheScopesSettingIsRemoved() {
        String domain = domain();
        RevocationPolicies policies = policies(UnknownRevocation.SOFT_FAIL);
        policies.save(PolicyScope.domain(domain), UnknownRevocation.HARD_FAIL);
        policies.save(PolicyScope.domain(domain), UnknownRevocation.HARD_FAIL);

        assertThat(policies.find(PolicyScope.domain(domain))).contains(UnknownRevocation.HARD_FAIL);
        assertThat(policies.all()).containsEntry(domain, UnknownRevocation.HARD_FAIL);
        assertThat(policies.delete(PolicyScope.domain(domain))).isTrue();
        assertThat(policies.forAddress("x@" + domain)).isEqualTo(UnknownRevocation.SOFT_FAIL);
        assertThat(policies.delete(PolicyScope.domain(domain))).isFalse();
    }

    @Test
    default void shouldFallBackToGlobalForASignerWithoutAUsableAddress() {
        RevocationPolicies policies = policies(UnknownRevocation.HARD_FAIL);

        assertThat(policies.forAddress(null)).isEqualTo(UnknownRevocation.HARD_FAIL);
        assertThat(policies.forAddress("not an address")).isEqualTo(UnknownRevocation.HARD_FAIL);
    }
}
