package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.relay.RelayJournal.Event;
import io.hotaru.keys.relay.RelayJournal.Kind;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.RelayStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RelayJournalTest {
    private static final AutoCloseable NOTHING = () -> {};

    @TempDir
    Path dir;

    private KeyStore open() {
        byte[] master = new byte[MasterKey.LENGTH];
        Arrays.fill(master, (byte) 0x3c);
        return KeyStore.open(dir.resolve("node.db"), MasterKey.of(master));
    }

    private static Event event(Kind kind, long relay) {
        return new Event(kind, relay, "", List.of(), "");
    }

    @Test
    void aLineNamesItsUnitsAsTheirUuidStrings() {
        SplittableRandom random = new SplittableRandom(7);
        List<UUID> units = new ArrayList<>(List.of(new UUID(0, 0), new UUID(-1, -1), new UUID(Long.MIN_VALUE, 1)));
        for (int i = 0; i < 1000; i++) {
            units.add(new UUID(random.nextLong(), random.nextLong()));
        }
        Event e = new Event(Kind.LEASE, -5, "A-B", units, "OUT/B");
        String names = String.join(",", units.stream().map(UUID::toString).toList());
        assertThat(e.line()).isEqualTo("LEASE -5 A-B " + names + " OUT/B");
        assertThat(Event.parse(e.line())).isEqualTo(e);
        Event wide = new Event(Kind.PAD, Long.MIN_VALUE, "東京-B", List.of(units.get(3)), "IN/é");
        assertThat(wide.line()).isEqualTo("PAD " + Long.MIN_VALUE + " 東京-B " + units.get(3) + " IN/é");
        assertThat(Event.parse(wide.line())).isEqualTo(wide);
        assertThat(event(Kind.COMMIT, 0).line()).isEqualTo("COMMIT 0 - - -");
    }

    @Test
    void lazyEventsBecomeDurableInOrderAheadOfTheNextStep() {
        List<String> expected = new ArrayList<>();
        try (KeyStore store = open()) {
            RelayJournal journal = RelayJournal.open(store);
            for (long r = 1; r <= 40; r++) {
                journal.appendLazily(event(Kind.COMMIT, r));
                expected.add(event(Kind.COMMIT, r).line());
            }
            journal.step(rec -> {
                rec.record(Kind.ABORT, 99, "", List.of(), "");
                return NOTHING;
            });
            expected.add(event(Kind.ABORT, 99).line());
            assertThat(RelayJournal.read(dir.resolve("node.db")).stream().map(Event::line))
                    .containsExactlyElementsOf(expected);
        }
        try (KeyStore store = open()) {
            assertThat(RelayJournal.open(store).events().stream().map(Event::line))
                    .containsExactlyElementsOf(expected);
        }
    }

    @Test
    void lazyEventsNoStepTakesAreWrittenOnTheirOwn() throws InterruptedException {
        try (KeyStore store = open()) {
            RelayJournal journal = RelayJournal.open(store);
            journal.appendLazily(event(Kind.COMMIT, 7));
            journal.appendLazily(event(Kind.STAGE, 7));
            List<Event> written = List.of();
            for (int i = 0; i < 200 && written.size() < 2; i++) {
                Thread.sleep(50);
                written = RelayJournal.read(dir.resolve("node.db"));
            }
            assertThat(written.stream().map(Event::line))
                    .containsExactly(
                            event(Kind.COMMIT, 7).line(), event(Kind.STAGE, 7).line());
        }
    }

    @Test
    void closingTheJournalWritesWhatIsPending() {
        try (KeyStore store = open()) {
            RelayJournal journal = RelayJournal.open(store);
            journal.appendLazily(event(Kind.COMMIT, 8));
            journal.close();
            assertThat(RelayJournal.read(dir.resolve("node.db")).stream().map(Event::line))
                    .containsExactly(event(Kind.COMMIT, 8).line());
        }
    }

    /**
     * The writer runs the two queued steps as one group: a step that took the lazy events runs again alone when another operation of its group fails:
     * it must write the same events again, and the failed operation none of its own.
     */
    @Test
    void aGroupThatFailsKeepsTheLazyEventsOnceAndNothingOfTheFailedStep() throws Exception {
        try (KeyStore store = open()) {
            RelayJournal journal = RelayJournal.open(store);
            RelayStore other = new RelayStore(store);
            CountDownLatch hold = new CountDownLatch(1);
            CountDownLatch holding = new CountDownLatch(1);
            other.stepLater(tx -> {
                holding.countDown();
                try {
                    hold.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return null;
            });
            holding.await();
            CompletableFuture<AutoCloseable> ok = CompletableFuture.supplyAsync(() -> journal.step(rec -> {
                rec.record(Kind.ABORT, 2, "", List.of(), "");
                return NOTHING;
            }));
            Thread.sleep(100); // queued behind the held operation, then the failing step behind it
            CompletableFuture<AutoCloseable> failing = CompletableFuture.supplyAsync(() -> journal.step(rec -> {
                rec.record(Kind.ABORT, 3, "", List.of(), "");
                throw new IllegalStateException("refused");
            }));
            Thread.sleep(100);
            journal.appendLazily(event(Kind.COMMIT, 1)); // taken by the first step when it runs
            hold.countDown();
            ok.get();
            assertThatThrownBy(failing::get).hasMessageContaining("refused");
            journal.sync();
            List<String> lines = RelayJournal.read(dir.resolve("node.db")).stream()
                    .map(Event::line)
                    .toList();
            assertThat(lines)
                    .containsOnlyOnce(
                            event(Kind.COMMIT, 1).line(), event(Kind.ABORT, 2).line())
                    .doesNotContain(event(Kind.ABORT, 3).line());
            assertThat(lines.indexOf(event(Kind.COMMIT, 1).line()))
                    .isLessThan(lines.indexOf(event(Kind.ABORT, 2).line()));
        }
    }
}
