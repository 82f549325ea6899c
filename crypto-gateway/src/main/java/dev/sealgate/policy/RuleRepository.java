package dev.sealgate.policy;

import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The ordered message-flow rules, stored in the database so that every node sees the same set. */
public class RuleRepository {

    private final JdbcClient jdbc;

    public RuleRepository(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** All rules, first to evaluate first. */
    public List<MessageFlowRule> findAll() {
        return jdbc.sql("SELECT position, name, direction, sender_pattern, recipient_pattern, client_ranges"
                        + " FROM message_flow_rule ORDER BY position, id")
                .query((rs, n) -> new MessageFlowRule(rs.getInt("position"), rs.getString("name"),
                        Direction.valueOf(rs.getString("direction")), rs.getString("sender_pattern"),
                        rs.getString("recipient_pattern"), rs.getString("client_ranges")))
                .list();
    }

    public void save(MessageFlowRule rule) {
        int updated = jdbc.sql("UPDATE message_flow_rule SET position = ?, direction = ?, sender_pattern = ?,"
                        + " recipient_pattern = ?, client_ranges = ? WHERE name = ?")
                .params(rule.position(), rule.direction().name(), rule.senderPattern(), rule.recipientPattern(),
                        rule.clientRanges(), rule.name())
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO message_flow_rule (position, name, direction, sender_pattern, recipient_pattern, client_ranges)"
                            + " VALUES (?, ?, ?, ?, ?, ?)")
                    .params(rule.position(), rule.name(), rule.direction().name(), rule.senderPattern(),
                            rule.recipientPattern(), rule.clientRanges())
                    .update();
        }
    }

    public boolean delete(String name) {
        return jdbc.sql("DELETE FROM message_flow_rule WHERE name = ?").param(name).update() > 0;
    }

    /**
     * Creates {@link MessageFlowRule#defaults()} when the rule set is empty (first start); returns
     * whether it did. A rule set an admin emptied on purpose stays closed only if it holds at least
     * one rule, which is why the defaults cover the two flows a gateway always has.
     */
    public boolean createDefaultsIfEmpty() {
        Integer count = jdbc.sql("SELECT COUNT(*) FROM message_flow_rule").query(Integer.class).single();
        if (count > 0) {
            return false;
        }
        MessageFlowRule.defaults().forEach(this::save);
        return true;
    }
}
