package dev.sealgate.gateway;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who the organisation is, for the relay decision.
 *
 * @param domains        the organisation's own mail domains ({@code sealgate.domains}); with none,
 *                       inbound mail is refused with "no own domains configured: set sealgate.domains"
 * @param companyServers CIDR ranges of the organisation's own mail servers
 *                       ({@code sealgate.company-servers}); a connection from one is outbound, any
 *                       other is inbound. Default: none (every connection is inbound)
 */
@ConfigurationProperties("sealgate")
public record GatewayProperties(@DefaultValue List<String> domains, @DefaultValue List<String> companyServers) {
}
