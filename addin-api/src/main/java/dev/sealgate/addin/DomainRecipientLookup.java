package dev.sealgate.addin;

import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Recipient answers from the organisation's own domains alone: internal recipients are delivered to
 * the company mail server (nothing to fail), external ones have no known certificate, so encryption
 * falls to {@code sealgate.addin.without-certificate}. Stands in until the certificate store is wired.
 */
public final class DomainRecipientLookup implements RecipientLookup {

    private final Set<String> ownDomains;
    private final EncryptionOutcome withoutCertificate;

    public DomainRecipientLookup(List<String> ownDomains, EncryptionOutcome withoutCertificate) {
        this.ownDomains = ownDomains.stream().map(d -> d.strip().toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.withoutCertificate = withoutCertificate;
    }

    @Override
    public RecipientStatus check(String sender, String recipient) {
        String domain = recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        boolean internal = ownDomains.contains(domain);
        return new RecipientStatus(recipient, internal, false, internal ? EncryptionOutcome.ENCRYPTED : withoutCertificate);
    }
}
