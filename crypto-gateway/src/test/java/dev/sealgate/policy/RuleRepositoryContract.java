package dev.sealgate.policy;

import static org.assertj.core.api.Assertions.assertThat;

import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** What the rule storage must do; run on H2 and on PostgreSQL. */
public interface RuleRepositoryContract {

    DataSource dataSource();

    @Test
    default void shouldCreateTheDefaultRulesOnceAndKeepTheOrder() {
        RuleRepository rules = new RuleRepository(dataSource());
        rules.createDefaultsIfEmpty();
        assertThat(rules.createDefaultsIfEmpty()).as("second start").isFalse();
        assertThat(rules.findAll()).extracting(MessageFlowRule::name)
                .startsWith("Outbound from company mail servers", "Inbound to own domains");

        rules.save(new MessageFlowRule(5, "Partner first", Direction.INBOUND, "*@partner.example", "own", "192.0.2.0/24"));
        rules.save(new MessageFlowRule(30, "Outbound from company mail servers", Direction.OUTBOUND, "own", "*", "company"));

        assertThat(rules.findAll()).extracting(MessageFlowRule::name)
                .containsExactly("Partner first", "Inbound to own domains", "Outbound from company mail servers");
        assertThat(rules.findAll().get(2).senderPattern()).isEqualTo("own");
        assertThat(rules.delete("Partner first")).isTrue();
        assertThat(rules.delete("Partner first")).isFalse();
    }
}
