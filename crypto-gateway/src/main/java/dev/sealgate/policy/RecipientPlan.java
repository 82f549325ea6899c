package dev.sealgate.policy;

import java.util.List;

/**
 * How one outbound message goes out: groups of recipients that each become a separate message and
 * SMTP transaction (encrypted with one content algorithm, plain, held, rejected).
 *
 * @param sign                  whether the message is signed (for groups that are sent)
 * @param stripClientSignatures remove the mail client's signature before signing
 * @param groups                non-empty groups, encrypted first, then plain, held, rejected
 * @param notes                 decisions worth recording in tracking (a request the policy overruled, ...)
 */
public record RecipientPlan(boolean sign, boolean stripClientSignatures, List<Group> groups, List<String> notes) {

    public RecipientPlan {
        groups = List.copyOf(groups);
        notes = List.copyOf(notes);
    }

    public enum Disposition {
        ENCRYPT,
        PLAIN,
        HOLD,
        REJECT
    }

    /**
     * @param contentEncryption for ENCRYPT groups, null otherwise
     */
    public record Group(Disposition disposition, ContentEncryption contentEncryption, List<Recipient> recipients) {

        public Group {
            recipients = List.copyOf(recipients);
        }

        public List<String> addresses() {
            return recipients.stream().map(Recipient::address).toList();
        }
    }

    /**
     * @param certificate   the certificate to encrypt to (ENCRYPT), else null
     * @param keyEncryption how the key is wrapped for this recipient (ENCRYPT), else null
     * @param reason        why the recipient is in this group, in words tracking can store
     */
    public record Recipient(String address, RecipientCertificate certificate, KeyEncryption keyEncryption, String reason) {
    }

    public List<Group> groups(Disposition disposition) {
        return groups.stream().filter(g -> g.disposition() == disposition).toList();
    }

    /** The group an address landed in. */
    public Group groupOf(String address) {
        return groups.stream().filter(g -> g.recipients().stream().anyMatch(r -> r.address().equalsIgnoreCase(address)))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(address + " is not a recipient of this plan"));
    }

    public Recipient recipient(String address) {
        return groupOf(address).recipients().stream().filter(r -> r.address().equalsIgnoreCase(address)).findFirst().orElseThrow();
    }
}
