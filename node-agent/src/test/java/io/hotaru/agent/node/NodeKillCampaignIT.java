package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.reliability.figures.KeyHistory;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills one of two node daemons ({@code hotaru node}, each its own child JVM) with SIGKILL at random
 * moments while the link distils, sifts, reconciles and ingests keys, and starts it again on the
 * same files, {@code hotaru.node.kills} times. A kill can land between one end storing a block and
 * the other storing it; the restarted link must resume with both ends on the same keys
 * ({@code LinkResume}). At the end both daemons stop with SIGTERM and the two key stores go through
 * the history checker: every key at both ends or neither, no key twice, the same bytes at both ends.
 */
@Tag("reliability")
class NodeKillCampaignIT {
    private static final int KILLS = ReliabilityFigures.count("hotaru.node.kills", 2);
    private static final String SIM = "link=A-B&seed=23&params=metro&distance_km=25&time_scale=20";
    /** Blocks that pay for their authentication (see LinkFaultCampaignIT). */
    private static final int BLOCK = 1 << 20;

    @TempDir
    Path dir;

    private final Process[] nodes = new Process[2];

    @AfterEach
    void killLeftovers() {
        for (Process p : nodes) {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }

    @Test
    void killedDaemonsResumeWithTheSameKeysAtBothEnds() throws Exception {
        long seed = Long.getLong("node.kills.seed", System.nanoTime());
        SplittableRandom random = new SplittableRandom(seed);
        String mqtt = "mqtt:\n  broker: embedded\n  port: 0\n";
        Path[] configs;
        try (NodePair pair = new NodePair(dir, SIM, BLOCK, mqtt, mqtt)) {
            configs = new Path[] {pair.configA, pair.configB};
        }
        nodes[0] = launch(configs[0], "a");
        nodes[1] = launch(configs[1], "b");
        awaitResumed(seed, 1);
        Thread.sleep(3000);
        for (int i = 0; i < KILLS; i++) {
            int which = random.nextInt(2);
            nodes[which].toHandle().destroyForcibly(); // SIGKILL
            assertThat(nodes[which].waitFor(30, TimeUnit.SECONDS)).isTrue();
            long resumed = resumptions("b");
            nodes[which] = launch(configs[which], which == 0 ? "a" : "b");
            awaitResumed(seed, resumed + 1);
            Thread.sleep(300 + random.nextInt(2500)); // somewhere in a block: sifting, Cascade, ingest
        }
        Thread.sleep(3000);
        for (Process p : nodes) {
            p.destroy(); // SIGTERM: a clean, block-aligned stop
        }
        for (Process p : nodes) {
            assertThat(p.waitFor(60, TimeUnit.SECONDS))
                    .as("seed %d: a daemon did not stop", seed)
                    .isTrue();
        }
        ReliabilityFigures.record("sigkills", "node-daemon", KILLS);
        compareStores(seed);
    }

    /** Waits until B's audit log shows {@code count} resumptions of the link: both ends up again. */
    private void awaitResumed(long seed, long count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (resumptions("b") < count) {
            assertThat(System.nanoTime())
                    .as("seed %d: link resumed within 120 s%n%s", seed, tails())
                    .isLessThan(deadline);
            Thread.sleep(100);
        }
    }

    private long resumptions(String node) throws IOException {
        Path audit = dir.resolve("node-" + node).resolve("audit.log");
        if (!Files.exists(audit)) {
            return 0;
        }
        return Files.readAllLines(audit).stream()
                .filter(l -> l.contains("link.resumed"))
                .count();
    }

    /** The last lines each daemon wrote, for a failure message. */
    private String tails() {
        StringBuilder out = new StringBuilder();
        for (String name : List.of("node-a.err", "node-b.err", "node-a.out", "node-b.out")) {
            try {
                List<String> lines = Files.readAllLines(dir.resolve(name));
                out.append("--- ").append(name).append('\n');
                lines.subList(Math.max(0, lines.size() - 20), lines.size())
                        .forEach(l -> out.append(l).append('\n'));
            } catch (IOException missing) {
                out.append("--- ").append(name).append(": ").append(missing).append('\n');
            }
        }
        return out.toString();
    }

    private void compareStores(long seed) {
        KeyHistory history = new KeyHistory();
        int atA;
        int atB;
        try (KeyStore a = open("a");
                KeyStore b = open("b")) {
            List<UUID> heldA = a.heldKeyIds("A-B");
            List<UUID> heldB = b.heldKeyIds("A-B");
            heldA.forEach(id -> history.observe(KeyHistory.End.FIRST, id, a.digest(List.of(id))));
            heldB.forEach(id -> history.observe(KeyHistory.End.SECOND, id, b.digest(List.of(id))));
            atA = heldA.size();
            atB = heldB.size();
        }
        KeyHistory.Verdict verdict = history.record("node-daemon-kills");
        System.out.printf(
                "NodeKillCampaignIT seed %d: %d kills, %d keys at A, %d at B, %s, %d resumptions withdrew a block%n",
                seed, KILLS, atA, atB, verdict, withdrawals());
        assertThat(atA).as("seed %d: keys at A%n%s", seed, tails()).isPositive();
        assertThat(history.findings())
                .as("seed %d: keys lost, duplicated or differing between the ends", seed)
                .isEmpty();
    }

    private long withdrawals() {
        long n = 0;
        for (String node : List.of("a", "b")) {
            try {
                n += Files.readAllLines(dir.resolve("node-" + node).resolve("audit.log")).stream()
                        .filter(l -> l.contains("link.resumed") && !l.contains("\"blocks_withdrawn\":0"))
                        .count();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return n;
    }

    private KeyStore open(String node) {
        Path home = dir.resolve("node-" + node);
        return KeyStore.open(home.resolve("keys.db"), MasterKey.loadOrCreate(home.resolve("master.key")));
    }

    private Process launch(Path config, String node) throws IOException {
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                "io.hotaru.agent.cli.HotaruCli",
                "node",
                "--config",
                config.toString());
        return new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("node-" + node + ".out").toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(
                        dir.resolve("node-" + node + ".err").toFile()))
                .start();
    }
}
