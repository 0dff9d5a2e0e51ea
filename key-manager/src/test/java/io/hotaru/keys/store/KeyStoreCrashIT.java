package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.reliability.figures.KeyHistory;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM holding a master KME's store (A) and its slave's (B) with SIGKILL at random
 * points while it delivers keys, {@value #KILLS} times, restarting it on the same files (in {@link
 * #SERIES} series side by side, each on its own files). Afterwards:
 * no key is delivered at one end and available at the other (or at the same end), every key an SAE
 * was told about is retrievable by the slave exactly once, and no key the slave collected can be
 * collected again.
 *
 * <p>Runs in every {@code mvn verify} (failsafe), in well under a minute. The test knows what an SAE
 * was told only from the lines the child wrote before it died, so it must read every one of them:
 * the child is killed through its {@link ProcessHandle}, which leaves the pipe open until the reader
 * has drained it ({@link Process#destroyForcibly()} closes it at once, dropping the last lines; that
 * made a key the slave had collected look like a key consumed without a collection).
 */
class KeyStoreCrashIT {
    static final String LINK = KeyStoreCrashChild.LINK;
    /** 50 in every build; the reliability profile asks for more through {@code hotaru.crash.kills}. */
    private static final int KILLS = ReliabilityFigures.count("hotaru.crash.kills", 50);
    /**
     * How many KME pairs, each on its own files, are killed side by side ({@code hotaru.crash.series},
     * 1 by default): a child spends most of its life starting, single-threaded, so the full profile
     * runs two series on two cores. The kills are shared among the series.
     */
    private static final int SERIES = Math.max(1, ReliabilityFigures.count("hotaru.crash.series", 1));

    private static final int KILLS_PER_SERIES = (KILLS + SERIES - 1) / SERIES;
    private static final int UNITS = 400 * KILLS_PER_SERIES;

    @TempDir
    Path dir;

    static byte[] masterKey(int which) {
        return KeyStoreCrashChild.masterKey(which);
    }

    /**
     * The child's JVM command: only the jars the store needs (no logging back end), the SQLite
     * library extracted once, so that a restart takes a few hundred milliseconds. (A class-data
     * archive would save more, but CDS refuses the test-classes directory on the class path.)
     */
    private static List<String> childCommand(Path dir) throws Exception {
        Path nativeDir = dir.resolve("native");
        java.nio.file.Files.createDirectories(nativeDir);
        String resource = "/org/sqlite/native/" + org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS()
                + "/libsqlitejdbc.so";
        try (var in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(resource)) {
            if (in != null) {
                java.nio.file.Files.copy(in, nativeDir.resolve("libsqlitejdbc.so"));
            }
        }
        String classPath = Arrays.stream(
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"))
                                .split(java.io.File.pathSeparator))
                .filter(e -> e.endsWith("classes")
                        || e.contains("key-manager")
                        || e.contains("sqlite-jdbc")
                        || e.contains("bcprov")
                        || e.contains("slf4j-api"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-Xmx96m",
                "-cp",
                classPath));
        if (java.nio.file.Files.exists(nativeDir.resolve("libsqlitejdbc.so"))) {
            command.add("-Dorg.sqlite.lib.path=" + nativeDir);
            command.add("-Dorg.sqlite.lib.name=libsqlitejdbc.so");
        }
        command.add(KeyStoreCrashChild.class.getName());
        command.add(dir.toString());
        System.out.println("KeyStoreCrashIT child: " + String.join(" ", command));
        return command;
    }

    @Test
    @Tag("reliability")
    void sigkillDuringDeliveriesNeverLosesOrDuplicatesAKey() throws Exception {
        long seed = Long.getLong("crash.seed", System.nanoTime());
        System.out.println("KeyStoreCrashIT seed " + seed + " (rerun with -Dcrash.seed=" + seed + "), " + SERIES
                + " series of " + KILLS_PER_SERIES + " kills");
        ExecutorService pool = Executors.newFixedThreadPool(SERIES);
        try {
            List<Future<?>> series = new ArrayList<>();
            for (int s = 0; s < SERIES; s++) {
                Path seriesDir = dir.resolve("series-" + s);
                long seriesSeed = seed + s;
                series.add(pool.submit(() -> {
                    runSeries(seriesDir, seriesSeed);
                    return null;
                }));
            }
            for (Future<?> one : series) {
                try {
                    one.get();
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof Error error) {
                        throw error;
                    }
                    throw e;
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** One KME pair on its own files in {@code dir}, killed {@link #KILLS_PER_SERIES} times, then checked. */
    private static void runSeries(Path dir, long seed) throws Exception {
        java.nio.file.Files.createDirectories(dir);
        Random random = new Random(seed);
        byte[] material = new byte[UNITS * KeyStore.KEY_BYTES];
        random.nextBytes(material);
        try (KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.of(masterKey(1)));
                KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.of(masterKey(2)))) {
            a.ingest(LINK, 1, material);
            b.ingest(LINK, 1, material);
        }

        List<String> childCommand = childCommand(dir);
        Set<UUID> delivered = new HashSet<>();
        Set<UUID> collecting = new HashSet<>();
        Set<UUID> collected = new HashSet<>();
        List<String> history = new ArrayList<>(); // "run: line", for the diagnosis of a failure
        long startupNanos = 0;
        for (int run = 0; run < KILLS_PER_SERIES; run++) {
            long started = System.nanoTime();
            List<String> command = new ArrayList<>(childCommand);
            command.add(Long.toString(random.nextLong()));
            Process child = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(
                            dir.resolve("child.err").toFile()))
                    .start();
            ChildOutput output = new ChildOutput(child.getInputStream());
            output.start();
            try {
                assertThat(output.ready.await(30, TimeUnit.SECONDS))
                        .as("child %d started", run)
                        .isTrue();
                startupNanos += System.nanoTime() - started;
                // the random point is taken from the first answer on, so that every kill lands among
                // deliveries even when a loaded machine slows the child down
                assertThat(output.answering.await(30, TimeUnit.SECONDS))
                        .as("child %d answered (see %s)", run, dir.resolve("child.err"))
                        .isTrue();
                Thread.sleep(20 + random.nextInt(150));
                assertThat(child.isAlive())
                        .as("child %d still delivering when killed (see %s)", run, dir.resolve("child.err"))
                        .isTrue();
            } finally {
                kill(child); // never leave a child delivering forever
            }
            output.join(); // every complete line the child wrote before it died, up to EOF
            assertThat(output.failure).as("reading child %d", run).isNull();
            for (String line : output.lines) {
                history.add(run + ": " + line);
                String[] words = line.split(" ");
                List<UUID> ids = new ArrayList<>();
                for (int i = 1; i < words.length; i++) {
                    ids.add(UUID.fromString(words[i]));
                }
                switch (words[0]) {
                    case "DELIVERED" -> delivered.addAll(ids);
                    case "COLLECTING" -> collecting.addAll(ids);
                    case "COLLECTED" -> collected.addAll(ids);
                    default -> throw new AssertionError("child " + run + " wrote " + line);
                }
                assertThat(ids).as("IDs on line %s", line).isNotEmpty();
            }
        }
        System.out.printf(
                "KeyStoreCrashIT: %d kills, mean start-up to READY %d ms, %d keys delivered to the master,"
                        + " %d collected by the slave before a kill%n",
                KILLS_PER_SERIES, startupNanos / KILLS_PER_SERIES / 1_000_000, delivered.size(), collected.size());
        assertThat(delivered).hasSizeGreaterThan(KILLS_PER_SERIES);
        assertThat(delivered).containsAll(collected);

        // What the SAEs were told, in the shared history checker: the master's deliveries at the
        // first end, the slave's collections at the second; a collection cut by a kill is in doubt.
        KeyHistory keys = new KeyHistory();
        delivered.forEach(id -> keys.observe(KeyHistory.End.FIRST, id, null));
        collected.forEach(id -> keys.observe(KeyHistory.End.SECOND, id, null));
        int inFlight = 0;
        for (UUID id : collecting) {
            if (!collected.contains(id)) {
                keys.inDoubt(id); // the slave got it before the kill or gets it below
                inFlight++;
            }
        }
        try (KeyStore a = KeyStore.open(dir.resolve("a.db"), MasterKey.of(masterKey(1)));
                KeyStore b = KeyStore.open(dir.resolve("b.db"), MasterKey.of(masterKey(2)))) {
            for (UUID unit : a.heldKeyIds(LINK).isEmpty() ? List.<UUID>of() : allUnits()) {
                KeyState atA = a.stateOf(unit).orElseThrow();
                KeyState atB = b.stateOf(unit).orElseThrow();
                boolean deliveredSomewhere = atA == KeyState.DELIVERED || atB == KeyState.DELIVERED;
                boolean availableSomewhere = atA == KeyState.AVAILABLE || atB == KeyState.AVAILABLE;
                if (deliveredSomewhere && availableSomewhere) {
                    keys.deliveredAndAvailable(unit + " (" + atA + " at A, " + atB + " at B)");
                }
            }
            for (UUID id : delivered) {
                if (a.stateOf(id).equals(java.util.Optional.of(KeyState.AVAILABLE))) {
                    keys.deliveredAndAvailable(id + " (delivered by A, available at A)");
                }
                // the slave collects now what it did not before the kills; then nothing a second time
                if (!collected.contains(id) && collectedNow(b, id)) {
                    keys.observe(KeyHistory.End.SECOND, id, null);
                }
                if (collectedNow(b, id)) {
                    keys.observe(KeyHistory.End.SECOND, id, null);
                }
            }
        }
        System.out.printf("KeyStoreCrashIT: %d collections were cut by a kill%n", inFlight);
        ReliabilityFigures.record("sigkills", "kme-during-delivery", KILLS_PER_SERIES);
        KeyHistory.Verdict verdict = keys.record("kme-during-delivery");
        if (!verdict.clean()) {
            keys.findings().stream().limit(20).forEach(f -> {
                System.out.println("KeyStoreCrashIT: " + f);
                String id = f.split(" ")[1];
                history.stream()
                        .filter(h -> h.contains(id))
                        .forEach(h -> System.out.println("KeyStoreCrashIT:   run " + h));
            });
        }
        assertThat(keys.findings())
                .as("keys lost, collected twice or left available after delivery: %s", verdict)
                .isEmpty();
    }

    /** Whether the slave's store hands out {@code id} to sae-b now. */
    private static boolean collectedNow(KeyStore b, UUID id) {
        try {
            b.deliver(List.of(id), "sae-b", "sae-a").close();
            return true;
        } catch (KeyManagerException refused) {
            return false;
        }
    }

    /**
     * SIGKILL through the process handle. {@link Process#destroyForcibly()} would also close our end
     * of the child's stdout, discarding what the child wrote that the reader had not read yet.
     */
    private static void kill(Process child) throws InterruptedException {
        child.toHandle().destroyForcibly();
        child.waitFor();
    }

    @Test
    void aLineTheChildWroteBeforeTheKillIsReadAfterIt() throws Exception {
        Process child = new ProcessBuilder("sh", "-c", "echo COLLECTING x; exec sleep 60").start();
        while (child.getInputStream().available() == 0) { // the line waits in the pipe, unread, as
            Thread.sleep(5); // it does when the reader thread is starved on a loaded machine
        }
        kill(child);
        ChildOutput output = new ChildOutput(child.getInputStream());
        output.start();
        output.join();
        assertThat(output.failure).isNull();
        assertThat(output.lines).containsExactly("COLLECTING x");
    }

    /**
     * Reads the child's stdout to its end, keeping only complete lines: a line cut by the kill never
     * reached its SAE, and the child starts the step that follows a line only after writing it whole.
     */
    private static final class ChildOutput extends Thread {
        final CountDownLatch ready = new CountDownLatch(1);
        final CountDownLatch answering = new CountDownLatch(1);
        final List<String> lines = new ArrayList<>();
        private final InputStream in;
        volatile java.io.IOException failure;

        ChildOutput(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            StringBuilder line = new StringBuilder();
            try (InputStream buffered = new BufferedInputStream(in)) {
                int c;
                while ((c = buffered.read()) != -1) {
                    if (c != '\n') {
                        line.append((char) c);
                    } else if (line.toString().equals("READY")) {
                        line.setLength(0);
                        ready.countDown();
                    } else {
                        lines.add(line.toString());
                        line.setLength(0);
                        answering.countDown();
                    }
                }
            } catch (java.io.IOException e) {
                failure = e;
            }
        }
    }

    private static List<UUID> allUnits() {
        List<UUID> units = new ArrayList<>(UNITS);
        for (int i = 0; i < UNITS; i++) {
            units.add(KeyIds.derive(LINK, 1, i));
        }
        return units;
    }
}
