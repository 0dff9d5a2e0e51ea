package io.hotaru.keys.relay;

import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.RelayStore;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

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
        /** Source: a relay starts; detail = sizeBits/shares/path,path,... */
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
        ABORT
    }

    /** One line of the journal. */
    public record Event(Kind kind, long relayId, String link, List<UUID> units, String detail) {
        public Event {
            units = List.copyOf(units);
        }

        String line() {
            StringBuilder b =
                    new StringBuilder(kind.name()).append(' ').append(relayId).append(' ');
            b.append(link.isEmpty() ? "-" : link).append(' ');
            if (units.isEmpty()) {
                b.append('-');
            } else {
                for (int i = 0; i < units.size(); i++) {
                    b.append(i == 0 ? "" : ",").append(units.get(i));
                }
            }
            return b.append(' ').append(detail.isEmpty() ? "-" : detail).toString();
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

    /** One step's journal lines, written in the same store transaction as the changes they record. */
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

        void record(Kind kind, long relayId, String link, List<UUID> units, String detail) throws SQLException {
            Event event = new Event(kind, relayId, link, units, detail);
            tx.journal(event.line());
            recorded.add(event);
        }
    }

    /** The work of a journalled step, on the store's writer thread. */
    @FunctionalInterface
    interface StepWork<T> {
        T run(Recorder recorder) throws SQLException;
    }

    private static final AutoCloseable NOTHING = () -> {};

    private final RelayStore store;
    private final List<Event> events = new ArrayList<>();

    private RelayJournal(RelayStore store, List<Event> existing) {
        this.store = store;
        this.events.addAll(existing);
    }

    /**
     * Opens the journal kept in {@code keyStore}'s file (table {@code relay_journal}, created if
     * missing), reading back what a previous run wrote.
     */
    public static RelayJournal open(KeyStore keyStore) {
        RelayStore store = new RelayStore(keyStore);
        try {
            List<Event> existing =
                    store.journalLines().stream().map(Event::parse).toList();
            return new RelayJournal(store, existing);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(
                    "cannot read the relay journal in key store " + keyStore + ": " + e.getMessage(), e);
        }
    }

    KeyStore keyStore() {
        return store.keyStore();
    }

    /**
     * Runs a relay step as one store operation: its store changes and the events it records commit
     * together, durably, before this returns; nothing of it is kept if it throws.
     */
    <T extends AutoCloseable> T step(StepWork<T> work) {
        List<Event> recorded = new ArrayList<>();
        T result = store.step(tx -> {
            recorded.clear(); // the writer may run an operation again after its group failed
            return work.run(new Recorder(tx, recorded));
        });
        synchronized (this) {
            events.addAll(recorded);
        }
        return result;
    }

    /** Appends an event and returns once it is durable (with every event queued before it). */
    public void append(Event event) {
        step(recorder -> {
            recorder.record(event.kind(), event.relayId(), event.link(), event.units(), event.detail());
            return NOTHING;
        });
    }

    /**
     * Appends an event without waiting for the disk: it becomes durable with the next store commit,
     * and never after a later event. For events whose loss in a crash recovery does not need (the
     * store, or a durable intent, tells).
     */
    public void appendLazily(Event event) {
        synchronized (this) {
            events.add(event);
        }
        store.stepLater(tx -> {
            tx.journal(event.line());
            return null;
        });
    }

    /** Makes every event appended so far durable, lazily appended ones included. */
    public void sync() {
        store.step(tx -> NOTHING);
    }

    public void append(Kind kind, long relayId, String link, List<UUID> units, String detail) {
        append(new Event(kind, relayId, link, units, detail));
    }

    public void appendLazily(Kind kind, long relayId, String link, List<UUID> units, String detail) {
        appendLazily(new Event(kind, relayId, link, units, detail));
    }

    /** Every event so far, oldest first (a copy). */
    public synchronized List<Event> events() {
        return List.copyOf(events);
    }

    /** Reads the journal of a key store file read-only, even while its node runs (history checker). */
    public static List<Event> read(Path keyStoreFile) {
        return RelayStore.readJournal(keyStoreFile).stream().map(Event::parse).toList();
    }

    /** Nothing to release: the rows live in the key store, which its owner closes. */
    @Override
    public void close() {}
}
