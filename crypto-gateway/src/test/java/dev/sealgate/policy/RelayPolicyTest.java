package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayPolicyTest {

    private static final InetAddress INTERNET = address("203.0.113.9");
    private static final InetAddress COMPANY = address("10.1.2.3");

    private final List<MessageFlowRule> rules = new ArrayList<>(MessageFlowRule.defaults());
    private final RelayPolicy policy = new RelayPolicy(Set.of("Corp.Example"), List.of(AddressRange.parse("10.1.0.0/16")), false,
            () -> rules);

    @Test
    void shouldTakeTheDirectionFromTheClientAddress() {
        assertThat(policy.directionOf(COMPANY)).isEqualTo(Direction.OUTBOUND);
        assertThat(policy.directionOf(INTERNET)).isEqualTo(Direction.INBOUND);
        assertThat(policy.directionOf(address("2001:db8::1"))).isEqualTo(Direction.INBOUND);
    }

    @Test
    void shouldRefuseTheFourCasesAndNothingElse() {
        assertThat(policy.checkSender(INTERNET, "ceo@corp.example").rejection()).isEqualTo(RelayRejection.INBOUND_OWN_SENDER);
        assertThat(policy.checkSender(COMPANY, "x@elsewhere.example").rejection()).isEqualTo(RelayRejection.OUTBOUND_FOREIGN_SENDER);
        assertThat(policy.checkRecipient(INTERNET, "a@partner.example", "v@elsewhere.example").rejection())
                .isEqualTo(RelayRejection.INBOUND_FOREIGN_RECIPIENT);
        rules.clear();
        assertThat(policy.checkRecipient(INTERNET, "a@partner.example", "bob@corp.example").rejection())
                .isEqualTo(RelayRejection.NO_MATCHING_RULE);
    }

    @Test
    void shouldAcceptTheUsualFlowsAndNameTheRule() {
        assertThat(policy.checkSender(INTERNET, "a@partner.example").accepted()).isTrue();
        assertThat(policy.checkRecipient(INTERNET, "a@partner.example", "BOB@CORP.EXAMPLE").ruleName()).isEqualTo("Inbound to own domains");
        assertThat(policy.checkSender(COMPANY, "ceo@corp.example").accepted()).isTrue();
        assertThat(policy.checkRecipient(COMPANY, "ceo@corp.example", "p@partner.example").ruleName())
                .isEqualTo("Outbound from company mail servers");
    }

    @Test
    void shouldLetTheNullSenderThroughInBothDirections() {
        assertThat(policy.checkSender(INTERNET, "").accepted()).isTrue();
        assertThat(policy.checkSender(COMPANY, "").accepted()).isTrue();
    }

    @Test
    void shouldAllowForeignSendersOnlyWhenConfigured() {
        RelayPolicy open = new RelayPolicy(Set.of("corp.example"), List.of(AddressRange.parse("10.1.0.0/16")), true, () -> rules);
        assertThat(open.checkSender(COMPANY, "x@elsewhere.example").accepted()).isTrue();
        assertThat(open.checkSender(INTERNET, "ceo@corp.example").accepted()).as("case 1 stays").isFalse();
    }

    @Test
    void shouldMatchRulesByPatternsAndClientRanges() {
        rules.add(0, new MessageFlowRule(1, "Partner servers only", Direction.INBOUND, "*@partner.example", "own", "198.51.100.0/24"));
        assertThat(policy.checkRecipient(address("198.51.100.20"), "a@partner.example", "bob@corp.example").ruleName())
                .isEqualTo("Partner servers only");
        assertThat(policy.checkRecipient(INTERNET, "a@partner.example", "bob@corp.example").ruleName())
                .isEqualTo("Inbound to own domains");
    }

    @Test
    void shouldRefuseAMalformedRange() {
        assertThatThrownBy(() -> AddressRange.parse("mail.corp.example")).hasMessageContaining("CIDR");
        assertThatThrownBy(() -> AddressRange.parse("10.0.0.0/33")).hasMessageContaining("prefix length 33");
        assertThat(AddressRange.parse("2001:db8::/32").contains(address("2001:db8:1::5"))).isTrue();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
