package dev.sealgate.gateway;

import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where mail goes next ({@code sealgate.relay.*}).
 *
 * @param inboundNextHop      host:port of the company mail server that gets inbound mail; unset, inbound
 *                            mail waits in the queue with the reason and an event says so
 * @param outboundSmarthost   host:port of a smart host for outbound mail; unset, outbound mail goes to the MX
 *                            of each recipient domain
 * @param allowForeignSenders let company servers send with an envelope sender outside the own domains (default false)
 * @param requireTls          recipient domains (or smart host names) for which STARTTLS is mandatory; others
 *                            get opportunistic STARTTLS
 * @param dnsServers          DNS servers for MX lookups as host or host:port (default: the system's)
 * @param mxPort              port of MX hosts (default 25)
 * @param connectTimeout      connect and reply timeout towards next hops (default 60s)
 */
@ConfigurationProperties("sealgate.relay")
public record RelayProperties(String inboundNextHop,
                              String outboundSmarthost,
                              @DefaultValue("false") boolean allowForeignSenders,
                              @DefaultValue List<String> requireTls,
                              @DefaultValue List<String> dnsServers,
                              @DefaultValue("25") int mxPort,
                              @DefaultValue("60s") Duration connectTimeout) {
}
