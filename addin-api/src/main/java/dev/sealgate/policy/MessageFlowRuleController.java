package dev.sealgate.policy;

import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import reactor.core.publisher.Mono;

/**
 * The message-flow rules: list, create or replace, reorder (by position), delete. A rule set that
 * would relay mail from any client to other domains (an open relay) is refused with the reason.
 * Each node reads changes within 5 seconds.
 */
@RestController
@RequestMapping("/api/v1/admin/rules")
class MessageFlowRuleController {

    private final RuleRepository rules;
    private final RelayPolicy relay;

    MessageFlowRuleController(RuleRepository rules, RelayPolicy relay) {
        this.rules = rules;
        this.relay = relay;
    }

    /**
     * @param position         order of evaluation, lowest first
     * @param direction        INBOUND or OUTBOUND
     * @param senderPattern    {@code *}, {@code own}, {@code foreign} or a glob such as {@code *@partner.example}
     * @param recipientPattern the same for recipients
     * @param clientRanges     {@code *}, {@code company} or comma-separated CIDR ranges
     */
    record RuleRequest(Integer position, String direction, String senderPattern, String recipientPattern, String clientRanges) {
    }

    @GetMapping
    @Operation(summary = "The message-flow rules, first to evaluate first")
    Mono<List<MessageFlowRule>> list() {
        return Blocking.call(rules::findAll);
    }

    @PutMapping("/{name}")
    @Operation(summary = "Create or replace the rule of this name; refused with the reason if the rule set would relay openly")
    Mono<MessageFlowRule> save(@PathVariable String name, @RequestBody RuleRequest request) {
        // validated off the event loop too: a refusal is audited, and the audit writes to the database
        return Blocking.call(() -> {
            MessageFlowRule rule = toRule(name, request);
            String openRelay = openRelayReason(rule, relay);
            if (openRelay != null) {
                throw new IllegalArgumentException(openRelay);
            }
            rules.save(rule);
            return rule;
        });
    }

    @DeleteMapping("/{name}")
    @ResponseStatus(HttpStatus.NO_CONTENT)
    @Operation(summary = "Delete a rule; the last rule cannot be deleted (an empty set gets the defaults back at the next start)")
    Mono<Void> delete(@PathVariable String name) {
        return Blocking.run(() -> {
            List<MessageFlowRule> all = rules.findAll();
            if (all.stream().noneMatch(r -> r.name().equals(name))) {
                throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no message-flow rule named '" + name + "': see GET /api/v1/admin/rules");
            }
            if (all.size() == 1) {
                throw new ResponseStatusException(HttpStatus.CONFLICT, "'" + name + "' is the last rule: an empty rule set gets the"
                        + " default rules back at the next start; change this rule instead");
            }
            rules.delete(name);
        });
    }

    private static MessageFlowRule toRule(String name, RuleRequest request) {
        List<String> missing = new ArrayList<>();
        if (request.position() == null) {
            missing.add("position");
        }
        if (request.direction() == null) {
            missing.add("direction");
        }
        if (request.senderPattern() == null || request.senderPattern().isBlank()) {
            missing.add("senderPattern");
        }
        if (request.recipientPattern() == null || request.recipientPattern().isBlank()) {
            missing.add("recipientPattern");
        }
        if (request.clientRanges() == null || request.clientRanges().isBlank()) {
            missing.add("clientRanges");
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("a message-flow rule needs " + String.join(", ", missing));
        }
        if (name.length() > 200) {
            throw new IllegalArgumentException("a rule name has at most 200 characters");
        }
        Direction direction;
        try {
            direction = Direction.valueOf(request.direction().trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("direction must be INBOUND or OUTBOUND, got '" + request.direction() + "'");
        }
        try {
            return new MessageFlowRule(request.position(), name, direction, request.senderPattern().trim(),
                    request.recipientPattern().trim(), request.clientRanges().trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("clientRanges: " + e.getMessage());
        }
    }

    /**
     * Why the rule would make the gateway an open relay, or null. Inbound mail (from clients that are
     * not company mail servers) may only go to own domains; the SMTP side refuses anything else before
     * the rules anyway, and the rule set must not say otherwise.
     */
    static String openRelayReason(MessageFlowRule rule, RelayPolicy relay) {
        if (rule.direction() != Direction.INBOUND) {
            return null;
        }
        String recipients = rule.recipientPattern().trim().toLowerCase(Locale.ROOT);
        int at = recipients.lastIndexOf('@');
        String domain = at < 0 ? "" : recipients.substring(at + 1);
        if (recipients.equals("own") || (!domain.isEmpty() && !domain.contains("*") && relay.isOwnAddress("postmaster@" + domain))) {
            return null;
        }
        return "rule '" + rule.name() + "' would let clients that are not company mail servers send to '" + rule.recipientPattern()
                + "': that is an open relay. Inbound rules must have recipientPattern 'own' or a pattern within an own domain (*@corp.example); mail to other domains is outbound"
                + " mail from company mail servers (sealgate.company-servers)";
    }
}
