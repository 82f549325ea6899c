package dev.sealgate.revocation;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.net.OutboundHttp;
import dev.sealgate.net.ProxyProperties;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wires the revocation checks of inbound verification and the per-partner revocation policies. */
@Configuration(proxyBeanMethods = false)
class RevocationConfiguration {

    @Bean(destroyMethod = "close")
    RevocationService revocationService(RevocationProperties properties, ProxyProperties proxy, CertificateStore store,
                                        Clock clock) {
        OutboundHttp http = new OutboundHttp(new OutboundHttp.OutboundHttpSettings(properties.connectTimeout(),
                properties.requestTimeout(), proxy.proxy()));
        return new RevocationService(http, properties.settings(), StoredRevocation.of(store), clock);
    }

    @Bean
    RevocationPolicies revocationPolicies(DataSource dataSource, Clock clock, RevocationProperties properties) {
        return new RevocationPolicies(dataSource, clock, properties.onUnknown());
    }

    @Bean
    RevocationJudge revocationJudge(RevocationService service, RevocationPolicies policies) {
        return new RevocationJudge(service, policies::forAddress);
    }
}
