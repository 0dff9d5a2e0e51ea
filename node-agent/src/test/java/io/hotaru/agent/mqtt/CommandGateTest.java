package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CommandGateTest {

    record Audited(String kind, String subject, Map<String, Object> detail) {}

    private final MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
    private final List<Audited> audit = new ArrayList<>();
    private final RecordingHandler handler = new RecordingHandler();
    private CommandGate gate;

    @BeforeEach
    void setUp() {
        gate = new CommandGate(
                "A",
                TestKeys.allowList(),
                CommandPolicy.of(Set.of("ab")),
                handler,
                (k, s, d) -> audit.add(new Audited(k, s, Map.copyOf(d))),
                clock);
        clock.advance(Duration.ofSeconds(1));
    }

    private byte[] ops(String verb, Map<String, String> args) {
        return TestKeys.OPS.sign("A", verb, args, clock.instant());
    }

    @Test
    void executesAValidCommandOnceAndAuditsIt() {
        CommandResponse r = gate.handle("start", ops("start", Map.of("link", "ab")));

        assertThat(r.status()).isEqualTo(CommandResponse.Status.OK);
        assertThat(r.duplicate()).isFalse();
        assertThat(handler.calls).containsExactly("start ab");
        assertThat(audit).singleElement().satisfies(a -> {
            assertThat(a.kind()).isEqualTo(CommandGate.AUDIT_EXECUTED);
            assertThat(a.subject()).isEqualTo("ops-1");
            assertThat(a.detail()).containsEntry("status", "ok");
        });
    }

    @Test
    void aRedeliveredCommandGetsTheFirstAnswerAndExecutesNothing() {
        byte[] cmd = ops("set", Map.of("link", "ab", "name", "mu_signal", "value", "0.5"));
        CommandResponse first = gate.handle("set", cmd);
        clock.advance(Duration.ofSeconds(10));
        CommandResponse again = gate.handle("set", cmd);

        assertThat(handler.calls).containsExactly("set ab mu_signal=0.5");
        assertThat(again.duplicate()).isTrue();
        assertThat(again.status()).isEqualTo(first.status());
        assertThat(audit)
                .extracting(Audited::kind)
                .containsExactly(CommandGate.AUDIT_EXECUTED, CommandGate.AUDIT_DUPLICATE);
    }

    @Test
    void aHandlerFailureIsReportedAsFailed() {
        CommandResponse r = gate.handle("selftest", ops("selftest", Map.of("link", "ab")));
        assertThat(r.status()).isEqualTo(CommandResponse.Status.FAILED);
        assertThat(r.message()).contains("detector 2");
    }

    @Test
    void aHandlerExceptionIsAFailureNotACrash() {
        CommandGate throwing = new CommandGate(
                "A",
                TestKeys.allowList(),
                CommandPolicy.of(Set.of("ab")),
                new RecordingHandler() {
                    @Override
                    public CommandResult stopLink(String link) {
                        throw new IllegalStateException("boom");
                    }
                },
                (k, s, d) -> audit.add(new Audited(k, s, Map.copyOf(d))),
                clock);
        clock.advance(Duration.ofSeconds(1));
        CommandResponse r = throwing.handle("stop", ops("stop", Map.of("link", "ab")));
        assertThat(r.status()).isEqualTo(CommandResponse.Status.FAILED);
        assertThat(r.message()).isEqualTo("handler failed: IllegalStateException");
    }

    @Test
    void rejectsEachKindOfBadCommandWithoutCallingTheHandler() {
        Instant now = clock.instant();
        Map<String, String> link = Map.of("link", "ab");
        assertRejected("start", "not json".getBytes(StandardCharsets.UTF_8), Rejection.MALFORMED);
        assertRejected("reboot", ops("start", link), Rejection.MALFORMED);
        assertRejected("stop", ops("start", link), Rejection.VERB_MISMATCH);
        assertRejected("start", TestKeys.OPS.sign("B", "start", link, now), Rejection.WRONG_NODE);
        assertRejected("start", TestKeys.INTRUDER.sign("A", "start", link, now), Rejection.UNKNOWN_SENDER);
        assertRejected("start", TestKeys.NOC.sign("A", "start", link, now), Rejection.VERB_NOT_ALLOWED);
        assertRejected("start", TestKeys.OPS.sign("A", "start", link, now.minusSeconds(61)), Rejection.EXPIRED);
        assertRejected("start", TestKeys.OPS.sign("A", "start", link, now.plusSeconds(6)), Rejection.NOT_YET_VALID);
        assertRejected("start", TestKeys.OPS.sign("A", "start", link, now.minusSeconds(2)), Rejection.BEFORE_START);
        assertRejected("start", ops("start", Map.of("link", "zz")), Rejection.UNKNOWN_LINK);
        assertRejected(
                "set",
                ops("set", Map.of("link", "ab", "name", "laser_current", "value", "1")),
                Rejection.UNKNOWN_PARAMETER);
        assertRejected(
                "set", ops("set", Map.of("link", "ab", "name", "mu_signal", "value", "1.5")), Rejection.OUT_OF_RANGE);
        assertRejected(
                "set",
                ops("set", Map.of("link", "ab", "name", "block_size", "value", "20000.5")),
                Rejection.OUT_OF_RANGE);
        assertRejected(
                "set", ops("set", Map.of("link", "ab", "name", "mu_signal", "value", "1e308")), Rejection.OUT_OF_RANGE);

        assertThat(handler.calls).isEmpty();
        assertThat(audit).allSatisfy(a -> assertThat(a.kind()).isEqualTo(CommandGate.AUDIT_REJECTED));
    }

    @Test
    void rejectsAForgedOrAlteredSignature() {
        String good = new String(ops("start", Map.of("link", "ab")), StandardCharsets.UTF_8);
        // the same signature on another link
        assertRejected(
                "start", good.replace("\"ab\"", "\"ac\"").getBytes(StandardCharsets.UTF_8), Rejection.BAD_SIGNATURE);
        // another sender's name on ops-1's signature
        assertRejected(
                "start", good.replace("ops-1", "noc-1").getBytes(StandardCharsets.UTF_8), Rejection.VERB_NOT_ALLOWED);
        byte[] signedByIntruderAsOps =
                TestKeys.signer("ops-1", 99).sign("A", "start", Map.of("link", "ab"), clock.instant());
        assertRejected("start", signedByIntruderAsOps, Rejection.BAD_SIGNATURE);
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void rejectsUnknownAndDuplicateFields() {
        String good = new String(ops("start", Map.of("link", "ab")), StandardCharsets.UTF_8);
        assertRejected(
                "start",
                good.replace("{\"v\":1,", "{\"v\":1,\"x\":1,").getBytes(StandardCharsets.UTF_8),
                Rejection.MALFORMED);
        assertRejected(
                "start",
                good.replace("{\"v\":1,", "{\"v\":1,\"v\":1,").getBytes(StandardCharsets.UTF_8),
                Rejection.MALFORMED);
        assertRejected("start", (good + "{}").getBytes(StandardCharsets.UTF_8), Rejection.MALFORMED);
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void aRejectedAuthenticatedCommandIsRememberedToo() {
        byte[] cmd = ops("set", Map.of("link", "ab", "name", "mu_signal", "value", "2"));
        gate.handle("set", cmd);
        CommandResponse again = gate.handle("set", cmd);
        assertThat(again.duplicate()).isTrue();
        assertThat(again.reason()).isEqualTo(Rejection.OUT_OF_RANGE);
        assertThat(handler.calls).isEmpty();
    }

    @Test
    void forgetsIdsOnlyOnceTheyWouldBeRejectedAsExpired() {
        CommandGate small = new CommandGate(
                "A", TestKeys.allowList(), CommandPolicy.of(Set.of("ab")), handler, (k, s, d) -> {}, clock, 2);
        clock.advance(Duration.ofSeconds(1));
        byte[] first = ops("start", Map.of("link", "ab"));
        small.handle("start", first);
        small.handle("stop", ops("stop", Map.of("link", "ab")));
        assertThat(small.handle("start", ops("start", Map.of("link", "ab"))).reason())
                .isEqualTo(Rejection.LEDGER_FULL);
        clock.advance(Duration.ofSeconds(66));
        assertThat(small.handle("start", first).reason()).isEqualTo(Rejection.EXPIRED);
        assertThat(small.handle("start", ops("start", Map.of("link", "ab"))).status())
                .isEqualTo(CommandResponse.Status.OK);
        assertThat(handler.calls).containsExactly("start ab", "stop ab", "start ab");
    }

    private void assertRejected(String topicVerb, byte[] payload, Rejection reason) {
        int before = audit.size();
        CommandResponse r = gate.handle(topicVerb, payload);
        assertThat(r.status()).as("status of %s", reason).isEqualTo(CommandResponse.Status.REJECTED);
        assertThat(r.reason()).isEqualTo(reason);
        assertThat(audit).hasSize(before + 1);
        assertThat(audit.get(before).detail()).containsEntry("reason", reason.wire());
    }
}
