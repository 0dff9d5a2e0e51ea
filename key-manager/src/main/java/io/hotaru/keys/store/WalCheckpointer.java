package io.hotaru.keys.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Checkpoints a store's WAL into its database file on a thread and connection of its own, so that
 * the writer seldom stalls on one. This thread runs a PASSIVE checkpoint every {@code periodMillis}:
 * it copies the committed frames and never waits for the writer, and SQLite fsyncs the WAL before
 * and the database file after it. Once a checkpoint has copied every frame, the writer's next
 * commit starts the WAL over from its beginning. Under steady load the writer commits during every
 * checkpoint, so none copies every frame and the WAL would grow without end; the writer's own
 * automatic checkpoint at {@value StoreSchema#WAL_AUTOCHECKPOINT_BYTES} bytes of WAL ({@link StoreSchema})
 * bounds it: it then finds all but the frames of the last few milliseconds copied, copies those,
 * and the WAL starts over.
 *
 * <p>Durability does not depend on it: an acknowledged operation is durable by {@link WalSync}'s
 * fsync of the WAL, and recovery replays the WAL. A failing checkpoint is logged and retried; the
 * WAL then grows until one succeeds.
 */
final class WalCheckpointer {
    private static final Logger log = LoggerFactory.getLogger(WalCheckpointer.class);

    private final String name;
    private final Path dbFile;
    private final long periodMillis;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Thread thread;
    private volatile long checkpoints;
    private volatile long framesCopied;
    private volatile long checkpointNanos;
    private long lastFrames;
    private long lastCopied;

    WalCheckpointer(String name, Path dbFile, long periodMillis) {
        this.name = name;
        this.dbFile = dbFile;
        this.periodMillis = periodMillis;
        this.thread = new Thread(this::loop, "key-store-checkpoint-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Ends the thread after the checkpoint under way, if any. */
    void stop() {
        stop.countDown();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Checkpoints that copied at least one frame. */
    long checkpoints() {
        return checkpoints;
    }

    /** WAL frames copied into the database file. */
    long framesCopied() {
        return framesCopied;
    }

    /** Time spent in checkpoints, on this thread. */
    long checkpointNanos() {
        return checkpointNanos;
    }

    private void loop() {
        Connection connection = null;
        try {
            while (!stop.await(periodMillis, TimeUnit.MILLISECONDS)) {
                try {
                    if (connection == null) {
                        connection = open();
                    }
                    checkpoint(connection);
                } catch (SQLException e) {
                    log.warn("WAL checkpoint of key store {} failed, will retry: {}", name, e.getMessage());
                    StoreSchema.closeQuietly(connection);
                    connection = null;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            StoreSchema.closeQuietly(connection);
        }
    }

    private Connection open() throws SQLException {
        SQLiteConfig config = new SQLiteConfig();
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(1_000);
        return config.createConnection("jdbc:sqlite:" + dbFile.toAbsolutePath());
    }

    private void checkpoint(Connection connection) throws SQLException {
        long start = System.nanoTime();
        try (Statement st = connection.createStatement();
                ResultSet rs = st.executeQuery("PRAGMA wal_checkpoint(PASSIVE)")) {
            // busy flag, frames in the WAL, frames of it copied so far (both start at 0 when the WAL does)
            if (rs.next()) {
                long frames = rs.getLong(2);
                long copied = rs.getLong(3);
                long fresh = frames < lastFrames ? copied : copied - lastCopied;
                lastFrames = frames;
                lastCopied = copied;
                if (fresh > 0) {
                    checkpoints++;
                    framesCopied += fresh;
                    checkpointNanos += System.nanoTime() - start;
                }
            }
        }
    }
}
