package io.hotaru.agent.audit;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Append-only, hash-chained audit log (JSON lines). Each record is written and forced to disk
 * before {@link #append} returns. Opening an existing log verifies its whole chain first and
 * refuses to extend a broken one.
 *
 * <p>Written through a {@link FileOutputStream}, not a {@code FileChannel}: an interrupt of a
 * thread in the middle of an append (a link end being stopped) must not close the log for every
 * other thread, as an interruptible channel would.
 */
public final class AuditLog implements AutoCloseable {

    private final Path file;
    private final FileOutputStream out;
    private final Clock clock;
    private long seq;
    private String lastHash;
    private Instant lastTime = Instant.EPOCH;

    private AuditLog(Path file, FileOutputStream out, Clock clock, long seq, String lastHash) {
        this.file = file;
        this.out = out;
        this.clock = clock;
        this.seq = seq;
        this.lastHash = lastHash;
    }

    /**
     * Opens (creating if needed) the log at {@code file}.
     *
     * @throws AuditException if the existing log's chain is broken or the file cannot be opened
     */
    public static AuditLog open(Path file, Clock clock) {
        long seq = 0;
        String last = AuditRecord.GENESIS;
        if (Files.exists(file)) {
            AuditVerifier.Result result = AuditVerifier.verify(file);
            if (!result.intact()) {
                throw new AuditException(
                        "audit log " + file + " is broken, refusing to extend it: " + result.problem());
            }
            seq = result.records();
            last = result.lastHash();
        }
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            return new AuditLog(file, new FileOutputStream(file.toFile(), true), clock, seq, last);
        } catch (IOException e) {
            throw new AuditException("cannot open audit log " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Appends one record and forces it to disk.
     *
     * @param kind what happened, e.g. {@code link.transition}
     * @param subject what it happened to, e.g. a link or SAE id
     * @param detail small JSON-serialisable values; never key material
     * @return the record's hash
     */
    public synchronized String append(String kind, String subject, Map<String, ?> detail) {
        Instant now = clock.instant();
        if (now.isBefore(lastTime)) {
            now = lastTime; // timestamps in the log never go backwards, even if the clock does
        }
        lastTime = now;
        String[] line = AuditRecord.format(seq + 1, now.toString(), kind, subject, detail, lastHash);
        byte[] bytes = (line[0] + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            out.write(bytes);
            out.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write audit log " + file, e);
        }
        seq++;
        lastHash = line[1];
        return lastHash;
    }

    /** Records written so far, including those found at open. */
    public synchronized long records() {
        return seq;
    }

    /** Hash of the last record (the chain's head), or 64 zeros for an empty log. */
    public synchronized String lastHash() {
        return lastHash;
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close audit log " + file, e);
        }
    }
}
