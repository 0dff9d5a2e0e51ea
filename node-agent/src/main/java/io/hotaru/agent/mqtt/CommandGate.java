package io.hotaru.agent.mqtt;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Decides what to do with one command message, in this order: well formed ({@link CommandCodec}),
 * addressed to this node, topic verb equals the signed verb, sender allow-listed for the verb, issued
 * within [now − max age, now + skew] and not before this node started, Ed25519 signature valid, id
 * not seen before, link known and value in range. Only then is the {@link CommandHandler} called.
 * Every decision is audited. Never throws for any input.
 */
public final class CommandGate {

    static final String AUDIT_EXECUTED = "mqtt.command.executed";
    static final String AUDIT_REJECTED = "mqtt.command.rejected";
    static final String AUDIT_DUPLICATE = "mqtt.command.duplicate";
    static final int LEDGER_CAPACITY = 100_000;

    private final String node;
    private final SenderAllowList allowList;
    private final CommandPolicy policy;
    private final CommandHandler handler;
    private final CommandAudit audit;
    private final Clock clock;
    private final Instant startedAt;
    private final CommandLedger ledger;

    public CommandGate(
            String node,
            SenderAllowList allowList,
            CommandPolicy policy,
            CommandHandler handler,
            CommandAudit audit,
            Clock clock) {
        this(node, allowList, policy, handler, audit, clock, LEDGER_CAPACITY);
    }

    CommandGate(
            String node,
            SenderAllowList allowList,
            CommandPolicy policy,
            CommandHandler handler,
            CommandAudit audit,
            Clock clock,
            int ledgerCapacity) {
        this.node = Topics.level("node id", node);
        this.allowList = Objects.requireNonNull(allowList, "allowList");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.startedAt = clock.instant();
        this.ledger = new CommandLedger(ledgerCapacity);
    }

    public String node() {
        return node;
    }

    /**
     * Handles one message from {@code hotaru/v1/<node>/cmd/<topicVerb>}.
     *
     * @param topicVerb the last topic level (validated by {@link Topics#verbOf}), or null
     */
    public synchronized CommandResponse handle(String topicVerb, byte[] payload) {
        String verb = Topics.isLevel(topicVerb) ? topicVerb : "?";
        Instant now = clock.instant();
        SignedCommand c = null;
        try {
            if (!CommandCodec.VERBS.contains(verb)) {
                throw new CommandRejected(Rejection.MALFORMED, "unknown verb");
            }
            c = CommandCodec.parse(payload);
            authenticate(c, verb, now);
        } catch (CommandRejected r) {
            // nothing authenticated: audit, answer, remember nothing
            CommandResponse response =
                    CommandResponse.rejected(c == null ? null : c.id(), verb, r.reason(), r.getMessage());
            audit.record(
                    AUDIT_REJECTED, c == null ? "unauthenticated" : c.sender(), rejectedDetail(verb, c, payload, r));
            return response;
        } catch (RuntimeException e) {
            // defensive: a bug in a check must not let the command through or kill the listener
            audit.record(
                    AUDIT_REJECTED,
                    "unauthenticated",
                    Map.of("reason", "malformed", "error", e.getClass().getSimpleName()));
            return CommandResponse.rejected(null, verb, Rejection.MALFORMED, "internal check failed");
        }
        String key = c.sender() + "/" + c.id();
        CommandResponse first = ledger.find(key, now);
        if (first != null) {
            audit.record(AUDIT_DUPLICATE, c.sender(), executedDetail(c, first));
            return first.asDuplicate();
        }
        if (!ledger.hasRoom(now)) {
            audit.record(
                    AUDIT_REJECTED,
                    c.sender(),
                    executedDetail(
                            c, CommandResponse.rejected(c.id(), verb, Rejection.LEDGER_FULL, "too many commands")));
            return CommandResponse.rejected(
                    c.id(), verb, Rejection.LEDGER_FULL, "too many commands in the replay window; retry later");
        }
        CommandResponse response = execute(c);
        ledger.remember(key, c.issued().plus(policy.maxAge()).plus(policy.maxClockSkew()), response);
        audit.record(
                response.status() == CommandResponse.Status.REJECTED ? AUDIT_REJECTED : AUDIT_EXECUTED,
                c.sender(),
                executedDetail(c, response));
        return response;
    }

    private void authenticate(SignedCommand c, String verb, Instant now) throws CommandRejected {
        if (!c.node().equals(node)) {
            throw new CommandRejected(Rejection.WRONG_NODE, "addressed to another node");
        }
        if (!c.verb().equals(verb)) {
            throw new CommandRejected(Rejection.VERB_MISMATCH, "the topic's verb and the signed verb differ");
        }
        SenderAllowList.Sender sender = allowList.find(c.sender());
        if (sender == null) {
            throw new CommandRejected(Rejection.UNKNOWN_SENDER, "sender not on this node's allow-list");
        }
        if (!sender.verbs().contains(verb)) {
            throw new CommandRejected(Rejection.VERB_NOT_ALLOWED, "sender may not use this verb");
        }
        if (c.issued().isBefore(now.minus(policy.maxAge()))) {
            throw new CommandRejected(
                    Rejection.EXPIRED, "issued more than " + policy.maxAge().toSeconds() + " s ago");
        }
        if (c.issued().isAfter(now.plus(policy.maxClockSkew()))) {
            throw new CommandRejected(Rejection.NOT_YET_VALID, "issued in the future; check the sender's clock");
        }
        if (c.issued().isBefore(startedAt)) {
            throw new CommandRejected(Rejection.BEFORE_START, "issued before this node started; sign it again");
        }
        byte[] canonical = c.canonical();
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, sender.key());
        verifier.update(canonical, 0, canonical.length);
        if (!verifier.verifySignature(c.signature())) {
            throw new CommandRejected(Rejection.BAD_SIGNATURE, "signature does not verify with the sender's key");
        }
    }

    /** Checks the arguments against this node's links and ranges, then calls the handler. */
    private CommandResponse execute(SignedCommand c) {
        String link = c.args().get("link");
        if (!policy.links().contains(link)) {
            return CommandResponse.rejected(c.id(), c.verb(), Rejection.UNKNOWN_LINK, "no such link on this node");
        }
        CommandResult result;
        try {
            switch (c.verb()) {
                case "start" -> result = handler.startLink(link);
                case "stop" -> result = handler.stopLink(link);
                case "selftest" -> result = handler.runSelfTest(link);
                case "set" -> {
                    String name = c.args().get("name");
                    ParameterRange range = policy.parameters().get(name);
                    if (range == null) {
                        return CommandResponse.rejected(
                                c.id(), c.verb(), Rejection.UNKNOWN_PARAMETER, "parameter cannot be set remotely");
                    }
                    double value = Double.parseDouble(c.args().get("value"));
                    if (!range.accepts(value)) {
                        return CommandResponse.rejected(
                                c.id(),
                                c.verb(),
                                Rejection.OUT_OF_RANGE,
                                name + " must be within [" + range.min() + ", " + range.max() + "]"
                                        + (range.integer() ? " and whole" : ""));
                    }
                    result = handler.setParameter(link, name, value);
                }
                default -> throw new IllegalStateException("verb " + c.verb());
            }
        } catch (RuntimeException e) {
            result = CommandResult.failed("handler failed: " + e.getClass().getSimpleName());
        }
        if (result == null) {
            result = CommandResult.failed("handler returned no result");
        }
        return new CommandResponse(
                c.id(),
                c.verb(),
                result.ok() ? CommandResponse.Status.OK : CommandResponse.Status.FAILED,
                null,
                result.message(),
                false);
    }

    private static Map<String, Object> executedDetail(SignedCommand c, CommandResponse r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("id", c.id());
        d.put("verb", c.verb());
        d.put("args", new java.util.TreeMap<>(c.args()).toString());
        d.put("issued", c.issuedText());
        d.put("status", r.status().wire());
        if (r.reason() != null) {
            d.put("reason", r.reason().wire());
        }
        d.put("message", r.message());
        return d;
    }

    private static Map<String, Object> rejectedDetail(String verb, SignedCommand c, byte[] payload, CommandRejected r) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("verb", verb);
        d.put("reason", r.reason().wire());
        d.put("message", r.getMessage());
        if (c != null) {
            d.put("id", c.id());
            d.put("issued", c.issuedText());
        }
        int length = payload == null ? 0 : payload.length;
        d.put("payload_bytes", length);
        d.put("payload_sha256", sha256Prefix(payload == null ? new byte[0] : payload));
        return d;
    }

    private static String sha256Prefix(byte[] payload) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(payload);
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
