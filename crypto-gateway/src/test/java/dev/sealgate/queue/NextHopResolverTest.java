package dev.sealgate.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** MX routing against a DNS stub on loopback. */
class NextHopResolverTest {

    private DnsStub dns;
    private NextHopResolver resolver;

    @BeforeEach
    void start() throws Exception {
        dns = new DnsStub()
                .mx("partner.example", 20, "mx2.partner.example", 10, "mx1.partner.example")
                .mx("nomail.example", 0, ".")
                .nxdomain("gone.example");
        resolver = new NextHopResolver(dns.resolver(), 2525);
    }

    @AfterEach
    void stop() {
        dns.close();
    }

    @Test
    void shouldTryMxHostsInPreferenceOrder() throws Exception {
        assertThat(resolver.resolve("mx:partner.example")).extracting(NextHopResolver.Host::toString)
                .containsExactly("mx1.partner.example:2525", "mx2.partner.example:2525");
    }

    @Test
    void shouldFallBackToTheDomainWithoutMx() throws Exception {
        assertThat(resolver.resolve("mx:nomx.example")).extracting(NextHopResolver.Host::toString)
                .containsExactly("nomx.example:2525");
    }

    @Test
    void shouldFailPermanentlyForANonExistentDomainAndANullMx() {
        assertThatThrownBy(() -> resolver.resolve("mx:gone.example"))
                .isInstanceOfSatisfying(NextHopResolver.UnresolvableException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageStartingWith("550 5.1.2 recipient domain gone.example does not exist");
        assertThatThrownBy(() -> resolver.resolve("mx:nomail.example"))
                .isInstanceOfSatisfying(NextHopResolver.UnresolvableException.class, e -> assertThat(e.permanent()).isTrue())
                .hasMessageContaining("null MX");
    }

    @Test
    void shouldTakeAFixedNextHopAsItIsAndNameAMissingInboundNextHop() throws Exception {
        assertThat(resolver.resolve("mail.corp.example:2526")).extracting(NextHopResolver.Host::toString)
                .containsExactly("mail.corp.example:2526");
        assertThatThrownBy(() -> resolver.resolve(Routing.UNCONFIGURED_INBOUND))
                .isInstanceOfSatisfying(NextHopResolver.UnresolvableException.class, e -> assertThat(e.permanent()).isFalse())
                .hasMessageContaining("set sealgate.relay.inbound-next-hop");
    }
}
