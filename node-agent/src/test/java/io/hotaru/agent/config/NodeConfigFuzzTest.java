package io.hotaru.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.reliability.figures.ReliabilityFigures;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * 10⁵ configurations mutated from a valid one (lines dropped, doubled, swapped, re-indented or
 * truncated; values replaced by hostile tokens; bytes flipped): each either loads or fails with a
 * {@link ConfigException} naming the file and a line, never with another exception. The seed is
 * printed on failure; rerun with {@code -Dconfig.fuzz.seed=N}.
 */
class NodeConfigFuzzTest {

    /** 3·10⁴ files in every build; the reliability profiles ask for more through {@code hotaru.fuzz.configs}. */
    private static final int CASES = ReliabilityFigures.count("hotaru.fuzz.configs", 30_000);

    private static final String[] TOKENS = {
        "",
        "-1",
        "0",
        "1e309",
        "-0.0",
        "NaN",
        ".inf",
        "[",
        "]",
        "{",
        "}",
        "{a: b}",
        "[1, 2",
        "~",
        "null",
        "true",
        "!!binary AAAA",
        "!!python/object:x",
        "&a x",
        "*a",
        "*nope",
        "\t",
        "'",
        "\"",
        "\\u0000",
        "%YAML 1.1",
        "---",
        "...",
        "? x",
        ": y",
        "- z",
        "#",
        "@",
        "`",
        "|",
        ">",
        "9999999999999999999999",
        "0x10",
        "1_000",
        "127.0.0.1:0",
        "127.0.0.1:65536",
        ":1",
        "host:",
        "sim:",
        "/dev/null",
        "../../../../etc/passwd",
        "a\u0000b",
        "é€𝄞",
        "tcp://",
        "embedded",
        "transmitter",
        "receiver",
        "2s",
        "soon",
        "-5s",
        "P1D",
        "x".repeat(300),
        "[0.4, 0.15]",
        "[0.4, 0.15, 0.0, 0.1]",
        "[a, b, c]",
        "{x: [1, {y: 2}]}"
    };

    @TempDir
    Path dir;

    @Test
    @Tag("reliability")
    void noMutatedConfigurationEscapesAsAnythingButAConfigException() throws Exception {
        long seed = Long.getLong("config.fuzz.seed", System.nanoTime());
        Path key = dir.resolve("auth.key");
        Files.write(key, new byte[1024]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path file = dir.resolve("node.yaml");
        List<String> lines = NodeConfigLoaderTest.VALID.lines().toList();
        SplittableRandom random = new SplittableRandom(seed);
        int loaded = 0;
        for (int i = 0; i < CASES; i++) {
            byte[] content = mutate(lines, random);
            try {
                NodeConfigLoader.load(file, content);
                loaded++;
            } catch (ConfigException e) {
                assertThat(e.getMessage()).as("seed %d case %d", seed, i).startsWith(file + ":" + e.line() + ": ");
                assertThat(e.line())
                        .as("seed %d case %d: %s", seed, i, e.getMessage())
                        .isPositive();
            } catch (RuntimeException e) {
                throw new AssertionError(
                        "seed " + seed + " case " + i + " escaped as " + e + " for:\n"
                                + new String(content, StandardCharsets.UTF_8),
                        e);
            }
        }
        assertThat(loaded)
                .as("seed %d: some mutations leave a valid file", seed)
                .isPositive();
        ReliabilityFigures.record("fuzz_executions", "node-config", CASES);
    }

    private static byte[] mutate(List<String> valid, SplittableRandom random) {
        List<String> lines = new ArrayList<>(valid);
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits && !lines.isEmpty(); e++) {
            int at = random.nextInt(lines.size());
            String line = lines.get(at);
            switch (random.nextInt(8)) {
                case 0 -> lines.remove(at);
                case 1 -> lines.add(at, line);
                case 2 -> {
                    int other = random.nextInt(lines.size());
                    lines.set(at, lines.get(other));
                    lines.set(other, line);
                }
                case 3 -> lines.set(at, " ".repeat(random.nextInt(6)) + line.strip());
                case 4 -> {
                    int colon = line.indexOf(':');
                    String token = TOKENS[random.nextInt(TOKENS.length)];
                    lines.set(at, colon < 0 ? line + token : line.substring(0, colon + 1) + " " + token);
                }
                case 5 ->
                    lines.add(
                            at,
                            " ".repeat(random.nextInt(6)) + TOKENS[random.nextInt(TOKENS.length)] + ": "
                                    + TOKENS[random.nextInt(TOKENS.length)]);
                case 6 -> lines.set(at, line.substring(0, random.nextInt(line.length() + 1)));
                default -> {
                    char[] c = line.toCharArray();
                    if (c.length > 0) {
                        c[random.nextInt(c.length)] = (char) random.nextInt(0x20, 0x7f);
                    }
                    lines.set(at, new String(c));
                }
            }
        }
        byte[] bytes = String.join("\n", lines).getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(20) == 0 && bytes.length > 0) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
        }
        return bytes;
    }
}
