package dev.sealgate.gateway;

import dev.sealgate.policy.MessageFlowRule;
import dev.sealgate.policy.RuleRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * The rule set, read from the database at most every few seconds: the relay decision runs for
 * every RCPT, and a changed rule may take this long to reach every node.
 */
final class CachedRules implements Supplier<List<MessageFlowRule>> {

    private static final Duration MAX_AGE = Duration.ofSeconds(5);

    private final RuleRepository rules;
    private final Clock clock;
    private volatile List<MessageFlowRule> cached;
    private volatile Instant readAt = Instant.MIN;

    CachedRules(RuleRepository rules, Clock clock) {
        this.rules = rules;
        this.clock = clock;
    }

    @Override
    public List<MessageFlowRule> get() {
        Instant now = clock.instant();
        if (cached == null || readAt.plus(MAX_AGE).isBefore(now)) {
            cached = List.copyOf(rules.findAll());
            readAt = now;
        }
        return cached;
    }
}
