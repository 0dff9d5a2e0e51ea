package io.hotaru.keys.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A node's append-only, durable record of every relay step: the intent records that recovery
 * reads, and the history the checker reads. One text line per event, fsynced before {@link #append}
 * returns; a line torn by a crash is cut off when the journal is reopened. Holds IDs, never key
 * material.
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
            return b.append(' ')
                    .append(detail.isEmpty() ? "-" : detail)
                    .append('\n')
                    .toString();
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

    private final Path file;
    private final FileChannel channel;
    private final List<Event> events = new ArrayList<>();
    private final Object flushLock = new Object();
    private List<byte[]> pending = new ArrayList<>();
    private long appended;
    private long flushed;
    private String failure;

    private RelayJournal(Path file, FileChannel channel, List<Event> existing) {
        this.file = file;
        this.channel = channel;
        this.events.addAll(existing);
    }

    /** Opens (creating) the journal, reading back what a previous run wrote. */
    public static RelayJournal open(Path file) {
        try {
            List<Event> existing = new ArrayList<>();
            long keep = 0;
            if (Files.exists(file)) {
                byte[] all = Files.readAllBytes(file);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == '\n') {
                        existing.add(Event.parse(new String(all, start, i - start, StandardCharsets.US_ASCII)));
                        start = i + 1;
                    }
                }
                keep = start;
            }
            FileChannel channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.READ);
            channel.truncate(keep); // a line torn by a crash never completed
            channel.position(keep);
            return new RelayJournal(file, channel, existing);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot open relay journal " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends an event and returns once it is on disk. Concurrent appends share one fsync: the first
     * caller to reach the disk writes every line queued so far (group commit).
     */
    public void append(Event event) {
        long mine = queue(event);
        flushThrough(mine);
    }

    /**
     * Appends an event without waiting for the disk: it becomes durable with the next {@link
     * #append} (of any caller) or at {@link #close()}, and never after a later event. For events
     * whose loss in a crash recovery does not need (the store, or a durable intent, tells).
     */
    public void appendLazily(Event event) {
        queue(event);
    }

    private long queue(Event event) {
        byte[] line = event.line().getBytes(StandardCharsets.US_ASCII);
        synchronized (this) {
            pending.add(line);
            events.add(event);
            return ++appended;
        }
    }

    private void flushThrough(long mine) {
        synchronized (flushLock) {
            if (failure != null) {
                throw new IllegalStateException("relay journal " + file + " failed earlier: " + failure);
            }
            if (flushed >= mine) {
                return;
            }
            List<byte[]> batch;
            long upTo;
            synchronized (this) {
                batch = pending;
                pending = new ArrayList<>();
                upTo = appended;
            }
            try {
                for (byte[] b : batch) {
                    ByteBuffer buffer = ByteBuffer.wrap(b);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                }
                channel.force(false);
            } catch (IOException e) {
                failure = e.getMessage(); // lines of other callers may be lost: fail them all, closed
                throw new IllegalStateException("cannot write relay journal " + file + ": " + e.getMessage(), e);
            }
            flushed = upTo;
        }
    }

    /** Makes every event appended so far durable, lazily appended ones included. */
    public void sync() {
        long last;
        synchronized (this) {
            last = appended;
        }
        if (last > 0) {
            flushThrough(last);
        }
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

    /** Reads a journal file without opening it for writing (for the history checker). */
    public static List<Event> read(Path file) {
        try (RelayJournal journal = open(file)) {
            return journal.events();
        }
    }

    @Override
    public void close() {
        long last;
        synchronized (this) {
            last = appended;
        }
        if (last > 0 && failure == null) {
            flushThrough(last);
        }
        try {
            channel.close();
        } catch (IOException e) {
            throw new IllegalStateException("cannot close relay journal " + file, e);
        }
    }
}
