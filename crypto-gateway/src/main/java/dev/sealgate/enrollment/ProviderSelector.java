package dev.sealgate.enrollment;

import dev.sealgate.certs.MailAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which provider enrolls an address: by address, else by a group of addresses it belongs to, else
 * by its domain, else the default provider when the domain is one of ours; otherwise none.
 *
 * @see #ProviderSelector(Map, Map, Set, String)
 */
public final class ProviderSelector {

    private final Map<String, String> byKey;
    private final Map<String, String> groupOfAddress;
    private final Set<String> ownDomains;
    private final String defaultProvider;

    /**
     * @param mapping         key: an address, a domain or {@code group:<name>}; value: a provider name
     * @param groups          group name to its addresses
     * @param ownDomains      the gateway's own domains
     * @param defaultProvider provider for own domains without a mapping (null: none)
     */
    public ProviderSelector(Map<String, String> mapping, Map<String, List<String>> groups, Set<String> ownDomains,
                            String defaultProvider) {
        this.byKey = new HashMap<>();
        mapping.forEach((key, provider) -> byKey.put(normalize(key), provider));
        this.groupOfAddress = new HashMap<>();
        groups.forEach((group, addresses) -> addresses.forEach(a -> groupOfAddress.putIfAbsent(MailAddress.parse(a).toString(),
                "group:" + group.toLowerCase(Locale.ROOT))));
        this.ownDomains = ownDomains.stream().map(d -> d.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        this.defaultProvider = defaultProvider;
    }

    private static String normalize(String key) {
        String trimmed = key.trim();
        if (trimmed.contains("@")) {
            return MailAddress.parse(trimmed).toString();
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }

    public Optional<String> providerFor(String address) {
        MailAddress parsed = MailAddress.parse(address);
        String byAddress = byKey.get(parsed.toString());
        if (byAddress != null) {
            return Optional.of(byAddress);
        }
        String group = groupOfAddress.get(parsed.toString());
        if (group != null && byKey.containsKey(group)) {
            return Optional.of(byKey.get(group));
        }
        String byDomain = byKey.get(parsed.domain());
        if (byDomain != null) {
            return Optional.of(byDomain);
        }
        return ownDomains.contains(parsed.domain()) ? Optional.ofNullable(defaultProvider) : Optional.empty();
    }
}
