package dev.sealgate.testkit;

import dev.sealgate.smtp.SmtpSink;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The settings every service test with real SMTP shares: a private data directory, an admin key,
 * one own domain, 127.0.0.1 as the company mail server (so 127.0.0.2 is "the internet"), the
 * company server and the internet as in-test SMTP sinks, and a fast queue.
 */
public final class GatewayUnderTest {

    private GatewayUnderTest() {
    }

    public static void register(DynamicPropertyRegistry registry, Supplier<Path> dataDir, String adminKey,
                                String ownDomain, SmtpSink companyServer, SmtpSink internet) {
        registry.add("sealgate.data-dir", () -> dataDir.get().toString());
        registry.add("sealgate.admin.api-key", () -> adminKey);
        registry.add("sealgate.domains", () -> ownDomain);
        registry.add("sealgate.company-servers", () -> "127.0.0.1/32");
        registry.add("sealgate.relay.inbound-next-hop", companyServer::hostAndPort);
        registry.add("sealgate.relay.outbound-smarthost", internet::hostAndPort);
        registry.add("sealgate.smtp.bind-address", () -> "127.0.0.1");
        registry.add("sealgate.smtp.host-name", () -> "gateway." + ownDomain);
        registry.add("sealgate.queue.poll-interval", () -> "100ms");
    }
}
