package dev.sealgate.policy;

import dev.sealgate.certs.CertificateStore;
import dev.sealgate.enrollment.EnrollmentService;
import dev.sealgate.web.Blocking;
import io.swagger.v3.oas.annotations.Operation;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * "Mail from X to Y now": what the gateway would do with a message and why, without sending
 * anything: the relay decision (which rule, or the 550 and its reason), then for outbound mail the
 * crypto plan that combines the sender's and each recipient's policy (ADR 0041), with the effective
 * policies it used. The same code decides real mail.
 */
@RestController
@RequestMapping("/api/v1/admin/policies/dry-run")
class DryRunController {

    private final RelayPolicy relay;
    private final RecipientPlanner planner;
    private final RecipientPlanner.Lookups lookups;
    private final PolicyResolver policies;

    DryRunController(RelayPolicy relay, RecipientPlanner planner, PolicyResolver policies, CertificateStore store,
                     EnrollmentService enrollment) {
        this.relay = relay;
        this.planner = planner;
        this.policies = policies;
        this.lookups = new StoreLookups(policies, store, enrollment::canEnroll);
    }

    /**
     * @param sender     envelope sender
     * @param recipients envelope recipients
     * @param client     the connecting client's address: a company mail server's for outbound mail; default
     *                   192.0.2.1, a client on the internet (inbound mail)
     * @param encrypt    the add-in's encrypt request, if any
     * @param sign       the add-in's sign request, if any
     */
    record DryRunRequest(String sender, List<String> recipients, String client, Boolean encrypt, Boolean sign) {
    }

    record RecipientOutcome(String recipient, boolean relayed, String rule, String refusal, String disposition, String reason,
                            String contentEncryption, String keyEncryption) {
    }

    record DryRunResult(String sender, String client, String direction, String senderRefusal, boolean sign,
                        List<RecipientOutcome> recipients, List<String> notes, Map<String, EffectivePolicy> policies) {
    }

    @PostMapping
    @Operation(summary = "What the gateway would do now with mail from a sender to recipients, and why (nothing is sent)")
    Mono<DryRunResult> dryRun(@RequestBody DryRunRequest request) {
        // validated off the event loop too: a refusal is audited, and the audit writes to the database
        return Blocking.call(() -> {
            if (request.sender() == null || request.recipients() == null || request.recipients().isEmpty()) {
                throw new IllegalArgumentException("a dry run needs sender and at least one recipient");
            }
            return run(request, client(request.client()));
        });
    }

    private DryRunResult run(DryRunRequest request, InetAddress client) {
        Direction direction = relay.isCompanyServer(client) ? Direction.OUTBOUND : Direction.INBOUND;
        RelayDecision senderDecision = relay.checkSender(client, request.sender());
        Map<String, EffectivePolicy> used = new LinkedHashMap<>();
        List<RecipientOutcome> outcomes = new ArrayList<>();
        List<String> relayed = new ArrayList<>();
        for (String recipient : request.recipients()) {
            RelayDecision decision = senderDecision.accepted() ? relay.checkRecipient(client, request.sender(), recipient) : senderDecision;
            if (decision.accepted()) {
                relayed.add(recipient);
            }
            outcomes.add(new RecipientOutcome(recipient, decision.accepted(), decision.ruleName(),
                    decision.accepted() ? null : decision.reply(), null, null, null, null));
        }
        boolean sign = false;
        List<String> notes = new ArrayList<>();
        if (direction == Direction.OUTBOUND && !relayed.isEmpty() && !request.sender().isEmpty()) {
            RecipientPlan plan = planner.plan(new RecipientPlanner.Message(request.sender(), relayed,
                    new ProtectionRequest(request.encrypt(), request.sign()), false), lookups);
            sign = plan.sign();
            notes.addAll(plan.notes());
            used.put(request.sender(), policies.resolve(request.sender()));
            List<RecipientOutcome> planned = new ArrayList<>();
            for (RecipientOutcome outcome : outcomes) {
                if (!outcome.relayed()) {
                    planned.add(outcome);
                    continue;
                }
                RecipientPlan.Group group = plan.groupOf(outcome.recipient());
                RecipientPlan.Recipient r = plan.recipient(outcome.recipient());
                used.put(outcome.recipient(), policies.resolve(outcome.recipient()));
                planned.add(new RecipientOutcome(outcome.recipient(), true, outcome.rule(), null, group.disposition().name(),
                        r.reason(), group.contentEncryption() == null ? null : group.contentEncryption().name(),
                        r.keyEncryption() == null ? null : r.keyEncryption().name()));
            }
            outcomes = planned;
        } else if (direction == Direction.INBOUND) {
            notes.add("inbound mail: decrypted and verified by the recipient's policy (inboundVerify, inboundUndecryptable)");
            relayed.forEach(r -> used.put(r, policies.resolve(r)));
        }
        return new DryRunResult(request.sender(), client.getHostAddress(), direction.name(),
                senderDecision.accepted() ? null : senderDecision.reply(), sign, outcomes, notes, used);
    }

    private InetAddress client(String given) {
        String address = given == null || given.isBlank() ? "192.0.2.1" : given.strip();
        if (!address.matches("[0-9a-fA-F:.]+")) {
            throw new IllegalArgumentException("client must be an IP address, e.g. 10.0.0.25 (a company mail server) or"
                    + " 192.0.2.1 (the internet), got '" + given + "'");
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("client must be an IP address, got '" + given + "'");
        }
    }
}
