package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.reliability.figures.ReliabilityFigures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Feeds generated command payloads (mutations of valid signed commands, structural JSON attacks,
 * out-of-range, expired and foreign-signed commands, random bytes) through the {@link CommandGate}:
 * nothing may escape as an exception, every message is answered and audited exactly once, and the
 * handler runs only for the pristine valid commands, each once. {@code -Dhotaru.fuzz.commands=N}
 * sets the volume (nightly: 10⁷).
 */
class CommandFuzzTest {

    private static final int RUNS = ReliabilityFigures.count("hotaru.fuzz.commands", 1_000_000);
    private static final long SEED = Long.getLong("hotaru.fuzz.seed", 0x5eed_c0deL);
    private static final String[] VERBS = {"start", "stop", "set", "selftest"};

    @Test
    @Tag("reliability")
    void noGeneratedPayloadEscapesOrReachesTheHandlerUnlessValid() {
        System.out.printf("CommandFuzzTest: seed %d (-Dhotaru.fuzz.seed), %d payloads%n", SEED, RUNS);
        Random rnd = new Random(SEED);
        MutableClock clock = new MutableClock(Instant.parse("2026-05-01T12:00:00Z"));
        RecordingHandler handler = new RecordingHandler();
        AtomicLong audited = new AtomicLong();
        CommandGate gate = new CommandGate(
                "A",
                TestKeys.allowList(),
                CommandPolicy.of(Set.of("ab", "ac")),
                handler,
                (k, s, d) -> audited.incrementAndGet(),
                clock);
        clock.advance(Duration.ofSeconds(1));
        Instant now = clock.instant();

        List<byte[]> valid = new ArrayList<>();
        Set<String> validCalls = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String verb = VERBS[i % VERBS.length];
            String link = i % 3 == 0 ? "ac" : "ab";
            Map<String, String> args = verb.equals("set")
                    ? Map.of(
                            "link",
                            link,
                            "name",
                            "mu_signal",
                            "value",
                            String.format(java.util.Locale.ROOT, "%.2f", 0.1 + i / 100.0))
                    : Map.of("link", link);
            valid.add(TestKeys.OPS.sign("A", verb, args, now));
        }
        List<byte[]> invalidButSigned = List.of(
                TestKeys.OPS.sign("A", "set", Map.of("link", "ab", "name", "mu_signal", "value", "7"), now),
                TestKeys.OPS.sign("A", "set", Map.of("link", "ab", "name", "block_size", "value", "-1"), now),
                TestKeys.OPS.sign("A", "set", Map.of("link", "ab", "name", "laser_bias", "value", "90"), now),
                TestKeys.OPS.sign("A", "start", Map.of("link", "zz"), now),
                TestKeys.OPS.sign("A", "start", Map.of("link", "ab"), now.minusSeconds(3600)),
                TestKeys.OPS.sign("A", "start", Map.of("link", "ab"), now.plusSeconds(3600)),
                TestKeys.NOC.sign("A", "stop", Map.of("link", "ab"), now),
                TestKeys.INTRUDER.sign("A", "stop", Map.of("link", "ab"), now),
                TestKeys.OPS.sign("B", "stop", Map.of("link", "ab"), now));

        Map<Rejection, Long> rejections = new EnumMap<>(Rejection.class);
        long ok = 0;
        long failed = 0;
        long duplicates = 0;
        long inGate = 0;
        long t0 = System.nanoTime();
        for (int i = 0; i < RUNS; i++) {
            int kind = rnd.nextInt(100);
            byte[] payload;
            String topicVerb = VERBS[rnd.nextInt(VERBS.length)];
            if (kind < 1) {
                payload = valid.get(rnd.nextInt(valid.size()));
                topicVerb = verbOf(payload);
            } else if (kind < 4) {
                payload = invalidButSigned.get(rnd.nextInt(invalidButSigned.size()));
                topicVerb = rnd.nextBoolean() ? verbOf(payload) : topicVerb;
            } else if (kind < 40) {
                payload = mutateBytes(valid.get(rnd.nextInt(valid.size())), rnd);
            } else if (kind < 80) {
                payload = mutateJson(valid.get(rnd.nextInt(valid.size())), rnd);
            } else if (kind < 90) {
                payload = structural(rnd);
            } else {
                payload = new byte[rnd.nextInt(rnd.nextBoolean() ? 64 : 3000)];
                rnd.nextBytes(payload);
            }
            if (rnd.nextInt(50) == 0) {
                topicVerb = rnd.nextBoolean() ? null : "reboot";
            }
            long h0 = System.nanoTime();
            CommandResponse r = gate.handle(topicVerb, payload);
            inGate += System.nanoTime() - h0;
            if (r == null) {
                throw new AssertionError("no response to payload " + i);
            }
            if (r.duplicate()) {
                duplicates++;
            } else {
                switch (r.status()) {
                    case OK -> ok++;
                    case FAILED -> failed++;
                    case REJECTED -> rejections.merge(r.reason(), 1L, Long::sum);
                }
            }
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (byte[] v : valid) {
            validCalls.add(callOf(v));
        }
        System.out.printf(
                "CommandFuzzTest: %d payloads in %.1f s (%.1f s in the gate, %.0f/s); executed %d ok + %d failed;"
                        + " handler calls %d; duplicates answered %d; rejected %s%n",
                RUNS, seconds, inGate / 1e9, RUNS / seconds, ok, failed, handler.calls.size(), duplicates, rejections);

        assertThat(audited.get()).as("every payload audited once").isEqualTo(RUNS);
        assertThat(handler.calls)
                .as("only pristine commands executed, each once")
                .hasSizeLessThanOrEqualTo(valid.size());
        assertThat(validCalls).containsAll(handler.calls);
        assertThat(ok + failed).isEqualTo(handler.calls.size());
        ReliabilityFigures.record("fuzz_executions", "mqtt-commands", RUNS);
    }

    private static String verbOf(byte[] payload) {
        String s = new String(payload, StandardCharsets.UTF_8);
        for (String v : VERBS) {
            if (s.contains("\"verb\":\"" + v + "\"")) {
                return v;
            }
        }
        return "start";
    }

    /** The {@link RecordingHandler} line a pristine command produces. */
    private static String callOf(byte[] payload) {
        try {
            SignedCommand c = CommandCodec.parse(payload);
            String link = c.args().get("link");
            return switch (c.verb()) {
                case "set" ->
                    "set " + link + " " + c.args().get("name") + "="
                            + Double.parseDouble(c.args().get("value"));
                default -> c.verb() + " " + link;
            };
        } catch (CommandRejected e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] mutateBytes(byte[] base, Random rnd) {
        byte[] b = base.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> {
                for (int n = 1 + rnd.nextInt(4); n > 0; n--) {
                    b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
            case 2 -> {
                int at = rnd.nextInt(b.length);
                int len = 1 + rnd.nextInt(Math.min(16, b.length - at));
                byte[] c = new byte[b.length - len];
                System.arraycopy(b, 0, c, 0, at);
                System.arraycopy(b, at + len, c, at, b.length - at - len);
                b = c;
            }
            default -> b = java.util.Arrays.copyOf(b, rnd.nextInt(b.length));
        }
        return b;
    }

    private static final String[] JUNK = {
        "null",
        "true",
        "-0",
        "1e999999",
        "\"\"",
        "[]",
        "{}",
        "\"\\u0000\"",
        "\"\\ud800\"",
        "1.0",
        "-1",
        "\"ab\\n\"",
        "\"" + "x".repeat(2000) + "\"",
        "[[[[[[[[[[]]]]]]]]]]",
        "{\"a\":{\"b\":{\"c\":{\"d\":1}}}}",
        "\"2026-05-01T12:00:01Z\"",
        "\"ops-1\"",
        "\"A\"",
        "\"set\"",
        "\"mu_signal\"",
        "\"NaN\"",
        "\"1e308\"",
        "\"Infinity\"",
        "\"0x10\"",
        "\"１\"",
        "12345678901234567890123456789012345"
    };
    private static final String[] FIELDS = {
        "v", "id", "node", "verb", "issued", "sender", "args", "sig", "link", "name", "value"
    };

    /** Edits that keep the text close to JSON: swap values, drop, add or repeat fields, change characters of strings. */
    private static byte[] mutateJson(byte[] base, Random rnd) {
        String s = new String(base, StandardCharsets.UTF_8);
        String field = FIELDS[rnd.nextInt(FIELDS.length)];
        String key = "\"" + field + "\":";
        int at = s.indexOf(key);
        switch (rnd.nextInt(7)) {
            case 0 -> {
                if (at >= 0) {
                    int start = at + key.length();
                    int end = valueEnd(s, start);
                    s = s.substring(0, start) + JUNK[rnd.nextInt(JUNK.length)] + s.substring(end);
                }
            }
            case 1 -> s = s.replaceFirst("\\{", "{" + key + JUNK[rnd.nextInt(JUNK.length)] + ",");
            case 2 -> {
                if (at >= 0) {
                    int end = valueEnd(s, at + key.length());
                    s = s.substring(0, at)
                            + s.substring(
                                    Math.min(s.length(), end + (end < s.length() && s.charAt(end) == ',' ? 1 : 0)));
                }
            }
            case 3 -> {
                // change one character inside a string value (signature, id, args): stays well formed
                int q = s.indexOf('"', 1 + rnd.nextInt(s.length() - 2));
                if (q > 0 && q + 2 < s.length()) {
                    char c = (char) (' ' + rnd.nextInt(95));
                    if (c != '"' && c != '\\') {
                        s = s.substring(0, q + 1) + c + s.substring(q + 2);
                    }
                }
            }
            case 4 -> s = s.replace(":", rnd.nextBoolean() ? " : " : ":\n\t");
            case 5 -> s = s + (rnd.nextBoolean() ? " " : "," + s);
            default -> s = s.replace("\"ab\"", "\"a" + (char) ('a' + rnd.nextInt(26)) + "\"");
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int valueEnd(String s, int start) {
        if (start < s.length() && s.charAt(start) == '"') {
            int e = s.indexOf('"', start + 1);
            return e < 0 ? s.length() : e + 1;
        }
        if (start < s.length() && s.charAt(start) == '{') {
            int e = s.indexOf('}', start);
            return e < 0 ? s.length() : e + 1;
        }
        int e = start;
        while (e < s.length() && s.charAt(e) != ',' && s.charAt(e) != '}') {
            e++;
        }
        return e;
    }

    private static byte[] structural(Random rnd) {
        int n = 1 + rnd.nextInt(3000);
        return switch (rnd.nextInt(6)) {
            case 0 -> "[".repeat(n).getBytes(StandardCharsets.UTF_8);
            case 1 ->
                ("{\"a\":".repeat(Math.min(n, 400)) + "1" + "}".repeat(Math.min(n, 400)))
                        .getBytes(StandardCharsets.UTF_8);
            case 2 -> ("{\"v\":1,\"id\":\"" + "9".repeat(n) + "\"}").getBytes(StandardCharsets.UTF_8);
            case 3 -> ("{\"v\":" + "9".repeat(Math.min(n, 1000)) + "}").getBytes(StandardCharsets.UTF_8);
            case 4 -> new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'};
            default -> ("{\"v\":1,\"args\":[" + "1,".repeat(Math.min(n, 600)) + "1]}").getBytes(StandardCharsets.UTF_8);
        };
    }
}
