package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Group commit never answers before the WAL fsync that covers the commit, and fails closed without it. */
class StoreWriterTest {
    @TempDir
    Path dir;

    private final Semaphore flushStarted = new Semaphore(0);
    private final Semaphore flushAllowed = new Semaphore(0);
    private volatile boolean flushFails;
    private StoreWriter writer;
    private Connection connection;

    private void start() throws Exception {
        connection = StoreSchema.open(dir.resolve("w.db"));
        WalSync sync = new WalSync("w.db", () -> {
            flushStarted.release();
            flushAllowed.acquireUninterruptibly();
            if (flushFails) {
                throw new IOException("simulated EIO");
            }
        });
        writer = new StoreWriter("w.db", connection, sync, 3_600_000, () -> null);
        writer.start();
    }

    @AfterEach
    void stop() throws Exception {
        flushAllowed.release(1000);
        if (writer != null) {
            writer.stop();
        }
        if (connection != null) {
            connection.close();
        }
    }

    private CompletableFuture<Integer> insert(int blockId) {
        return CompletableFuture.supplyAsync(() -> writer.run(() -> {
            try (Statement st = connection.createStatement()) {
                return st.executeUpdate("INSERT INTO block (link_id, block_id, key_count, ingested_at)"
                        + " VALUES ('l', " + blockId + ", 0, 0)");
            }
        }));
    }

    @Test
    void aResultIsSeenOnlyAfterTheFsyncOfItsCommit() throws Exception {
        start();
        CompletableFuture<Integer> first = insert(1);
        assertThat(flushStarted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        // committed into the WAL, fsync under way: the caller must still be waiting
        Thread.sleep(50);
        assertThat(first).isNotDone();
        flushAllowed.release();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(writer.stats().syncs()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void ranIsToldOnceTheWorkIsInTheOpenTransactionBeforeItsFsync() throws Exception {
        start();
        CompletableFuture<Integer> ran = new CompletableFuture<>();
        CompletableFuture<Integer> result = writer.runAsync(
                () -> {
                    try (Statement st = connection.createStatement()) {
                        return st.executeUpdate("INSERT INTO block (link_id, block_id, key_count, ingested_at)"
                                + " VALUES ('l', 1, 0, 0)");
                    }
                },
                null,
                ran::complete);
        assertThat(ran.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(flushStarted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(result).as("the caller still waits for the fsync").isNotDone();
        flushAllowed.release();
        assertThat(result.get(10, TimeUnit.SECONDS)).isEqualTo(1);
    }

    @Test
    void ranIsNeverToldOfAFailedRun() throws Exception {
        start();
        flushAllowed.release(1000);
        CompletableFuture<Object> ran = new CompletableFuture<>();
        CompletableFuture<Object> result = writer.runAsync(
                () -> {
                    throw new KeyManagerException(KeyManagerException.Code.KEY_NOT_AVAILABLE, "refused");
                },
                null,
                ran::complete);
        assertThatThrownBy(() -> result.get(10, TimeUnit.SECONDS)).hasMessageContaining("refused");
        assertThat(ran).isNotDone();
    }

    @Test
    void operationsArrivingDuringAnFsyncShareTheNextCommit() throws Exception {
        start();
        CompletableFuture<Integer> first = insert(1);
        assertThat(flushStarted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Integer>> later = new ArrayList<>();
        for (int block = 2; block <= 6; block++) {
            later.add(insert(block));
        }
        while (writer.uncommittedForTest() < 5) {
            Thread.onSpinWait(); // run into the open transaction, not committed
        }
        assertThat(writer.stats().batches()).isEqualTo(1);
        flushAllowed.release(); // first fsync done: the five commit together, then their fsync
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(flushStarted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        assertThat(later).noneMatch(CompletableFuture::isDone);
        flushAllowed.release();
        for (CompletableFuture<Integer> f : later) {
            assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        }
        assertThat(writer.stats().batches()).isEqualTo(2);
        assertThat(writer.stats().operations()).isEqualTo(6);
    }

    @Test
    void anInterruptedCallerWaitsForTheOutcomeOfItsWorkAndKeepsItsInterrupt() throws Exception {
        start();
        CompletableFuture<Object[]> caller = CompletableFuture.supplyAsync(() -> {
            Thread.currentThread().interrupt();
            int rows = writer.run(() -> {
                try (Statement st = connection.createStatement()) {
                    return st.executeUpdate(
                            "INSERT INTO block (link_id, block_id, key_count, ingested_at)" + " VALUES ('l', 7, 0, 0)");
                }
            });
            return new Object[] {rows, Thread.currentThread().isInterrupted()};
        });
        assertThat(flushStarted.tryAcquire(10, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(50);
        assertThat(caller).as("still waiting for the fsync, interrupt or not").isNotDone();
        flushAllowed.release();
        Object[] outcome = caller.get(10, TimeUnit.SECONDS);
        assertThat(outcome[0]).as("rows the committed work reports").isEqualTo(1);
        assertThat(outcome[1]).as("interrupt kept for the caller").isEqualTo(true);
    }

    @Test
    void aFailedFsyncFailsItsBatchAndEveryLaterOperation() throws Exception {
        start();
        flushFails = true;
        CompletableFuture<Integer> lost = insert(1);
        flushAllowed.release();
        assertThatThrownBy(() -> lost.get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(KeyManagerException.class)
                .hasMessageContaining("could not fsync");
        assertThatThrownBy(() -> writer.run(() -> 1))
                .isInstanceOf(KeyManagerException.class)
                .hasMessageContaining("could not fsync");
    }

    @Test
    void aFailingOperationOfAGroupRollsBackAloneAndTheOthersCommit() throws Exception {
        start();
        flushAllowed.release(1000); // fsyncs pass at once: this test is about the savepoints
        CountDownLatch holding = new CountDownLatch(1);
        Semaphore release = new Semaphore(0);
        CompletableFuture<Integer> blocker = CompletableFuture.supplyAsync(() -> writer.run(() -> {
            holding.countDown();
            release.acquireUninterruptibly();
            return 0;
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        // the writer is busy: these three queue up and run as one group
        CompletableFuture<Integer> before = insert(2);
        CompletableFuture<Integer> failing = CompletableFuture.supplyAsync(() -> writer.run(() -> {
            try (Statement st = connection.createStatement()) {
                st.executeUpdate("INSERT INTO block (link_id, block_id, key_count, ingested_at) VALUES ('l', 3, 0, 0)");
            }
            throw new KeyManagerException(KeyManagerException.Code.KEY_NOT_AVAILABLE, "refused after writing");
        }));
        CompletableFuture<Integer> after = insert(4);
        while (writer.queuedForTest() < 3) {
            Thread.onSpinWait();
        }
        release.release();

        assertThat(blocker.get(10, TimeUnit.SECONDS)).isZero();
        assertThat(before.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(after.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThatThrownBy(() -> failing.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(KeyManagerException.class)
                .hasMessageContaining("refused after writing");
        assertThat(writer.run(() -> {
                    List<Integer> blocks = new ArrayList<>();
                    try (Statement st = connection.createStatement();
                            ResultSet rs = st.executeQuery("SELECT block_id FROM block ORDER BY block_id")) {
                        while (rs.next()) {
                            blocks.add(rs.getInt(1));
                        }
                    }
                    return blocks;
                }))
                .containsExactly(2, 4);
    }
}
