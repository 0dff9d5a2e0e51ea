package io.hotaru.keys.relay;

import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.RelayStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;

/**
 * A node's append-only, durable record of every relay step: the intent records that recovery
 * reads, and the history the checker reads. One text line per event, kept in the node's key store
 * file and written in the same transaction as the store change it records ({@link #step}), so a
 * line and its change are durable together or not at all. Holds IDs, never key material.
 *
 * <pre>
 * KIND relayId link units detail        (fields '-' when empty; units comma-separated)
 * </pre>
 */
public final class RelayJournal implements AutoCloseable {
    /** What happened. */
    public enum Kind {
        /** Source: a relay starts; detail = sizeBits/keyBlock/path/path... (a path A,B,C: one per share) */
        BEGIN,
        /** An end-to-end key of the relay was stored under {@code link} (the virtual end-to-end link). */
        KEY,
        /** About to take {@code units} of {@code link} as a pad (detail IN or OUT). */
        INTENT,
        /** Took {@code units} of {@code link} as a pad: erased here (detail IN or OUT). */
        PAD,
        /** The pad of the preceding intent could not be taken; nothing changed. */
        VOID,
        /** Burned {@code units} of {@code link} while rolling back (detail = how many were still held). */
        BURN,
        /** A share of a multi-path relay is staged at the destination (detail = share index). */
        STAGE,
        /** The relay is committed (destination: key stored; source: completion received). */
        COMMIT,
        /** The relay is rolled back here, for good. */
        ABORT,
        /**
         * Pad units of {@code link} leased (ADR 0009, "Pads leased in blocks"); the relay ID field holds
         * the lease ID. Detail OUT: this end erased {@code units} of its half as the lease; IN: this end
         * took them for the peer's forwards; BURN/n: this end burned them (n still held); ACK: the
         * peer answered this end's lease (no units).
         */
        LEASE
    }

    /** One line of the journal. */
    public record Event(Kind kind, long relayId, String link, List<UUID> units, String detail) {
        public Event {
            units = List.copyOf(units);
        }

        String line() {
            // Written into one array of the line's exact length: a lease's line names up to 256 units.
            byte[] kindName = kind.name().getBytes(StandardCharsets.UTF_8);
            byte[] relay = Long.toString(relayId).getBytes(StandardCharsets.UTF_8);
            byte[] linkField = (link.isEmpty() ? "-" : link).getBytes(StandardCharsets.UTF_8);
            byte[] detailField = (detail.isEmpty() ? "-" : detail).getBytes(StandardCharsets.UTF_8);
            int unitBytes = units.isEmpty() ? 1 : units.size() * (UUID_CHARS + 1) - 1;
            byte[] line =
                    new byte[kindName.length + relay.length + linkField.length + unitBytes + detailField.length + 4];
            int at = put(line, 0, kindName);
            line[at++] = ' ';
            at = put(line, at, relay);
            line[at++] = ' ';
            at = put(line, at, linkField);
            line[at++] = ' ';
            if (units.isEmpty()) {
                line[at++] = '-';
            } else {
                for (int i = 0; i < units.size(); i++) {
                    if (i > 0) {
                        line[at++] = ',';
                    }
                    at = putUuid(line, at, units.get(i));
                }
            }
            line[at++] = ' ';
            put(line, at, detailField);
            return new String(line, StandardCharsets.UTF_8);
        }

        private static final int UUID_CHARS = 36;
        private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

        private static int put(byte[] line, int at, byte[] field) {
            System.arraycopy(field, 0, line, at, field.length);
            return at + field.length;
        }

        /** Writes the UUID as {@link UUID#toString} does, without making that string; returns the next index. */
        static int putUuid(byte[] line, int at, UUID id) {
            long msb = id.getMostSignificantBits();
            long lsb = id.getLeastSignificantBits();
            at = putHex(line, at, msb >>> 32, 8);
            line[at++] = '-';
            at = putHex(line, at, msb >>> 16, 4);
            line[at++] = '-';
            at = putHex(line, at, msb, 4);
            line[at++] = '-';
            at = putHex(line, at, lsb >>> 48, 4);
            line[at++] = '-';
            return putHex(line, at, lsb, 12);
        }

        private static int putHex(byte[] line, int at, long value, int digits) {
            for (int i = digits - 1; i >= 0; i--) {
                line[at + i] = HEX[(int) value & 0xf];
                value >>>= 4;
            }
            return at + digits;
        }

        static Event parse(String line) {
            String[] f = line.split(" ", -1);
            if (f.length != 5) {
                throw new IllegalArgumentException("journal line of " + f.length + " fields");
            }
            List<UUID> units = f[3].equals("-")
                    ? List.of()
                    : Arrays.stream(f[3].split(",")).map(UUID::fromString).toList();
            return new Event(
                    Kind.valueOf(f[0]),
                    Long.parseLong(f[1]),
                    f[2].equals("-") ? "" : f[2],
                    units,
                    f[4].equals("-") ? "" : f[4]);
        }
    }

    /**
     * One step's journal lines, written in the same store transaction as the changes they record
     * (all at once, when the step's work is done).
     */
    final class Recorder {
        private final RelayStore.Tx tx;
        private final List<Event> recorded;

        private Recorder(RelayStore.Tx tx, List<Event> recorded) {
            this.tx = tx;
            this.recorded = recorded;
        }

        RelayStore.Tx tx() {
            return tx;
        }

        void record(Kind kind, long relayId, String link, List<UUID> units, String detail) {
            recorded.add(new Event(kind, relayId, link, units, detail));
        }
    }

    /**
     * The lazily appended events one store operation writes ahead of its own: taken from the
     * pending ones the first time the writer runs the operation, written again as they were if it
     * runs it again (its group failed), given back if the operation fails.
     */
    private final class Piggyback {
        private List<Event> taken;

        void write(RelayStore.Tx tx, List<Event> own) throws SQLException {
            if (taken == null) {
                taken = takePending();
            }
            List<String> lines = new ArrayList<>(taken.size() + own.size());
            taken.forEach(e -> lines.add(e.line()));
            own.forEach(e -> lines.add(e.line()));
            tx.journal(lines);
        }

        void giveBack() {
            if (taken != null && !taken.isEmpty()) {
                synchronized (RelayJournal.this) {
                    for (int i = taken.size() - 1; i >= 0; i--) {
                        pending.addFirst(taken.get(i));
                    }
                }
            }
            taken = null;
        }
    }

    /** The work of a journalled step, on the store's writer thread. */
    @FunctionalInterface
    interface StepWork<T> {
        T run(Recorder recorder) throws SQLException;
    }

    private static final AutoCloseable NOTHING = () -> {};
    /**
     * How long a lazily appended event waits for a step to take it before it is written alone. At
     * an intermediate node no relay step takes them (its hops make no store step), so each such
     * write is a commit and an fsync of its own: at 5 ms they were most of its store operations
     * under load (ADR 0009, "Lazy events"). A crash loses about this much of them (plus the
     * writer's queue), which recovery does not need.
     */
    static final long LAZY_FLUSH_DELAY_MICROS = 50_000;
    /** Queues the writes of pending lazy events (one daemon thread for every journal of the JVM). */
    private static final ScheduledExecutorService FLUSH_TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "relay-journal-flush");
        t.setDaemon(true);
        return t;
    });

    private final RelayStore store;
    /** Events appended lazily and not yet in any store operation, oldest first (guarded by this). */
    private final java.util.ArrayDeque<Event> pending = new java.util.ArrayDeque<>();
    /** Whether an operation that writes the pending events is queued (guarded by this). */
    private boolean flushQueued;

    private RelayJournal(RelayStore store) {
        this.store = store;
    }

    /**
     * Opens the journal kept in {@code keyStore}'s file (table {@code relay_journal}, created if
     * missing). Its events stay in the store only ({@link #events} reads them back): a node that
     * relays for months keeps none of them in memory.
     */
    public static RelayJournal open(KeyStore keyStore) {
        return new RelayJournal(new RelayStore(keyStore));
    }

    KeyStore keyStore() {
        return store.keyStore();
    }

    /**
     * Runs a relay step as one store operation: its store changes and the events it records commit
     * together, durably, before this returns; nothing of it is kept if it throws. The events
     * appended lazily before the writer runs it go into the same transaction, ahead of its own.
     */
    <T extends AutoCloseable> T step(StepWork<T> work) {
        return stepAsync(work).await();
    }

    /**
     * A step queued on the store's writer: {@link #awaitRun} returns once the writer has run its work
     * (its commit may still be under way: a later step may run meanwhile and share its commit),
     * {@link #await} once it is durable.
     */
    final class PendingStep<T> {
        private final CompletableFuture<T> durable;
        private final CompletableFuture<Void> ran;
        private final List<Event> recorded;

        private PendingStep(CompletableFuture<T> durable, CompletableFuture<Void> ran, List<Event> recorded) {
            this.durable = durable;
            this.ran = ran;
            this.recorded = recorded;
        }

        void awaitRun() {
            CompletableFuture.anyOf(ran, durable).handle((x, failed) -> null).join();
        }

        T await() {
            return store.await(durable);
        }
    }

    /** As {@link #step}, without waiting: see {@link PendingStep}. */
    <T extends AutoCloseable> PendingStep<T> stepAsync(StepWork<T> work) {
        List<Event> recorded = new ArrayList<>();
        Piggyback lazy = new Piggyback();
        CompletableFuture<Void> ran = new CompletableFuture<>();
        CompletableFuture<T> durable = store.stepAsync(tx -> {
            recorded.clear(); // the writer may run an operation again after its group failed
            try {
                T value = work.run(new Recorder(tx, recorded));
                try {
                    lazy.write(tx, recorded);
                } catch (SQLException | RuntimeException e) {
                    if (value != null) {
                        try {
                            value.close(); // what the work took (units opened) goes with the step
                        } catch (Exception suppressed) {
                            e.addSuppressed(suppressed);
                        }
                    }
                    throw e;
                }
                return value;
            } catch (SQLException | RuntimeException e) {
                lazy.giveBack();
                throw e;
            } finally {
                ran.complete(null);
            }
        });
        return new PendingStep<>(durable, ran, recorded);
    }

    private synchronized List<Event> takePending() {
        List<Event> taken = new ArrayList<>(pending);
        pending.clear();
        return taken;
    }

    /** Appends an event and returns once it is durable (with every event queued before it). */
    public void append(Event event) {
        step(recorder -> {
            recorder.record(event.kind(), event.relayId(), event.link(), event.units(), event.detail());
            return NOTHING;
        });
    }

    /**
     * Appends an event without waiting for the disk: it becomes durable with the next store
     * operation of this journal that the writer runs (the next relay step, or else, when no step
     * took it within {@link #LAZY_FLUSH_DELAY_MICROS}, one write queued for every pending event),
     * never after a later event. For events whose loss in a crash recovery does not need (the
     * store, or a durable intent, tells): a clean shutdown may lose them too.
     */
    public void appendLazily(Event event) {
        boolean schedule;
        synchronized (this) {
            pending.addLast(event);
            schedule = !flushQueued;
            flushQueued = true;
        }
        if (schedule) {
            FLUSH_TIMER.schedule(this::flushPending, LAZY_FLUSH_DELAY_MICROS, TimeUnit.MICROSECONDS);
        }
    }

    /**
     * Queues one store operation that writes the events appended lazily and not yet taken by a
     * step (called {@link #LAZY_FLUSH_DELAY_MICROS} after the first of them: under load the next
     * step has taken them by then, and no operation of their own is needed).
     */
    private void flushPending() {
        synchronized (this) {
            if (pending.isEmpty()) { // a step took them
                flushQueued = false;
                return;
            }
        }
        Piggyback lazy = new Piggyback();
        try {
            store.stepLater(tx -> {
                synchronized (this) {
                    flushQueued = false; // events appended from now on need another write
                }
                try {
                    lazy.write(tx, List.of());
                } catch (SQLException | RuntimeException e) {
                    lazy.giveBack();
                    throw e;
                }
                return null;
            });
        } catch (RuntimeException closed) { // the store is closed: recovery does not need these events
            synchronized (this) {
                flushQueued = false;
                pending.clear();
            }
        }
    }

    /** Makes every event appended so far durable, lazily appended ones included. */
    public void sync() {
        step(recorder -> NOTHING);
    }

    public void append(Kind kind, long relayId, String link, List<UUID> units, String detail) {
        append(new Event(kind, relayId, link, units, detail));
    }

    public void appendLazily(Kind kind, long relayId, String link, List<UUID> units, String detail) {
        appendLazily(new Event(kind, relayId, link, units, detail));
    }

    /**
     * Every event so far, oldest first, as the store holds them once the lazily appended ones are
     * written (this makes them durable first): for the ledger's replay at start-up and for checkers.
     *
     * @throws IllegalStateException if a line cannot be read as an event
     */
    public List<Event> events() {
        sync();
        try {
            return store.journalLines().stream().map(Event::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot read the relay journal in key store " + store.keyStore() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Hands every event so far to {@code event}, oldest first, once the lazily appended ones are
     * written, reading one row at a time: for the ledger's replay at start-up, whatever the
     * journal's length.
     *
     * @throws IllegalStateException if a line cannot be read as an event
     */
    void forEachEvent(java.util.function.Consumer<Event> event) {
        sync();
        store.forEachJournalLine(line -> {
            try {
                event.accept(Event.parse(line));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException(
                        "cannot read the relay journal in key store " + store.keyStore() + ": " + e.getMessage(), e);
            }
        });
    }

    /** Rows a compaction looks at in one store operation (a few milliseconds of the writer). */
    static final int COMPACTION_ROWS_PER_OPERATION = 2_000;

    /**
     * A number at least as high as every block of {@code linkId} on {@code side} in the journal's key
     * store (the link's mark of that side, up to a second above its highest block), -1 if none.
     */
    long lastKeyBlock(String linkId, int side) {
        return store.lastBlock(linkId, side);
    }

    /** The sequence number of the newest row written so far (lazily appended events not yet written come later). */
    long lastSeq() {
        return store.lastJournalSeq();
    }

    /**
     * Deletes the rows up to {@code upToSeq} of every relay {@code settled} accepts, in store
     * operations of {@value #COMPACTION_ROWS_PER_OPERATION} rows: what recovery does not need once a
     * relay is settled here. A row whose relay ID cannot be read stays.
     *
     * @return the rows deleted
     */
    long deleteSettled(long upToSeq, LongPredicate settled) {
        long after = 0;
        long deleted = 0;
        while (after < upToSeq) {
            RelayStore.JournalSweep sweep =
                    store.deleteJournalRows(after, upToSeq, COMPACTION_ROWS_PER_OPERATION, line -> {
                        OptionalLong relay = relayIdOf(line);
                        return relay.isPresent() && settled.test(relay.getAsLong());
                    });
            deleted += sweep.deleted();
            if (sweep.looked() < COMPACTION_ROWS_PER_OPERATION) {
                break;
            }
            after = sweep.lastSeq();
        }
        return deleted;
    }

    /** The relay ID of a journal line (its second field), without reading the rest. */
    static OptionalLong relayIdOf(String line) {
        int from = line.indexOf(' ');
        int to = from < 0 ? -1 : line.indexOf(' ', from + 1);
        if (to < 0) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(line, from + 1, to, 10));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** Reads the journal of a key store file read-only, even while its node runs (history checker). */
    public static List<Event> read(Path keyStoreFile) {
        return RelayStore.readJournal(keyStoreFile).stream().map(Event::parse).toList();
    }

    /**
     * Writes the events still pending from lazy appends, if the key store is still open (close the
     * journal before the store to keep them); the rows live in the key store, which its owner
     * closes.
     */
    @Override
    public void close() {
        boolean any;
        synchronized (this) {
            any = !pending.isEmpty();
        }
        if (any) {
            try {
                sync();
            } catch (RuntimeException storeClosed) {
                // recovery does not need lazily appended events
            }
        }
    }
}
