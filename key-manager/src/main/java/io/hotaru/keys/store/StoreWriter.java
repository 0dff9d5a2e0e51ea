package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the one thread that uses a store's connection. It takes every operation waiting,
 * runs them in one savepoint of one transaction and commits them all into the WAL; {@link WalSync}
 * then fsyncs the WAL and only after that does any caller see its result. If one operation of the
 * group fails, the group's savepoint is rolled back and each operation runs again in a savepoint of
 * its own, so that a failing one rolls back alone: an operation's work may therefore run twice, and
 * only the effects of its last run count. Between batches it runs a periodic task (the expiry
 * sweep).
 */
final class StoreWriter {
    private static final Logger log = LoggerFactory.getLogger(StoreWriter.class);
    private static final int MAX_BATCH = 512;

    /** An operation: its SQL and what it returns. May run more than once (see the class comment). */
    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    private static final class Op<T> {
        final Work<T> work;
        final Consumer<T> discard;
        final Consumer<T> ran;
        final CompletableFuture<T> result = new CompletableFuture<>();
        T value;
        RuntimeException failure;

        Op(Work<T> work, Consumer<T> discard) {
            this(work, discard, null);
        }

        Op(Work<T> work, Consumer<T> discard, Consumer<T> ran) {
            this.work = work;
            this.discard = discard;
            this.ran = ran;
        }

        /** Tells {@code ran} once the work's effects are in the open transaction (writer thread). */
        void tellRan(String store) {
            if (ran == null || failure != null) {
                return;
            }
            try {
                ran.accept(value);
            } catch (RuntimeException e) {
                log.error("On key store {}, a caller's reaction to its operation failed: {}", store, e.toString());
            }
        }

        void complete() {
            if (failure == null) {
                result.complete(value);
            } else {
                result.completeExceptionally(failure);
            }
        }

        void discardValue() {
            if (value != null && discard != null) {
                discard.accept(value);
            }
            value = null;
        }
    }

    private static final Op<Void> STOP = new Op<>(() -> null, null);
    /** Queued when the WAL fsync has caught up, so that waiting operations get committed. */
    private static final Op<Void> SYNCED = new Op<>(() -> null, null);

    private final String name;
    private final Connection connection;
    private final long periodMillis;
    private final Work<?> periodic;
    private final LinkedBlockingQueue<Op<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean stopped;
    private volatile WriterStats stats = new WriterStats(0, 0, 0, 0, 0, 0, 0, 0);
    /** Operations run in the open transaction, waiting for its commit (writer thread only). */
    private final List<Op<?>> uncommitted = new ArrayList<>();

    private long workNanos;
    private final Map<String, PreparedStatement> savepointStatements = new HashMap<>();
    private volatile int uncommittedCount;

    private final WalSync walSync;

    StoreWriter(String name, Connection connection, WalSync walSync, long periodMillis, Work<?> periodic) {
        this.name = name;
        this.walSync = walSync;
        walSync.whenIdle(() -> queue.add(SYNCED));
        this.connection = connection;
        this.periodMillis = periodMillis;
        this.periodic = periodic;
        this.thread = new Thread(this::loop, "key-store-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        walSync.start();
        thread.start();
    }

    /** Runs {@code work} in the next batch and waits until its commit is durable. */
    <T> T run(Work<T> work) {
        return run(work, null);
    }

    /**
     * As {@link #run(Work)}; {@code discard} disposes of a result whose commit failed (wipes keys).
     */
    <T> T run(Work<T> work, Consumer<T> discard) {
        return await(enqueue(work, discard).result);
    }

    /**
     * Queues {@code work} for the next batch without waiting: the future completes once its commit
     * is durable (on the store's sync thread, or on the writer thread when it failed), or fails with
     * the operation's exception; {@code discard} disposes of a result whose commit failed. Code that
     * runs on its completion must not wait for this store.
     */
    <T> CompletableFuture<T> runAsync(Work<T> work, Consumer<T> discard) {
        return runAsync(work, discard, null);
    }

    /**
     * As {@link #runAsync(Work, Consumer)}, and {@code ran} is given the operation's value on the
     * writer thread as soon as its effects are in the open transaction: before they are committed
     * or durable, at most once, and never for a run that failed. The commit may still fail after
     * that (the future then fails). {@code ran} must not block or wait for this store; what it
     * throws is logged.
     */
    <T> CompletableFuture<T> runAsync(Work<T> work, Consumer<T> discard, Consumer<T> ran) {
        try {
            return enqueue(work, discard, ran).result.copy();
        } catch (RuntimeException closedOrFailed) {
            return CompletableFuture.failedFuture(closedOrFailed);
        }
    }

    /**
     * Waits for {@code result}, throwing the operation's own exception if it failed. An interrupt
     * does not end the wait (it is kept for the caller): queued work runs and commits whatever the
     * caller does, so a caller told "interrupted" would believe a committed change undone. Found by
     * the full link-fault campaign: a link end interrupted while its authentication deposit was
     * queued dropped the deposit in memory while the store committed it, and the link's next
     * deposit then collided with it. The writer drains its queue even when stopping, so the wait
     * ends.
     */
    <T> T await(CompletableFuture<T> result) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return result.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            throw unwrap(e.getCause());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Queues {@code work} for the next batch without waiting for it. */
    <T> void submit(Work<T> work) {
        Op<T> op = enqueue(work, null);
        op.result.exceptionally(e -> {
            log.warn("Deferred key store operation failed on {}: {}", name, e.getMessage());
            return null;
        });
    }

    private <T> Op<T> enqueue(Work<T> work, Consumer<T> discard) {
        return enqueue(work, discard, null);
    }

    private <T> Op<T> enqueue(Work<T> work, Consumer<T> discard, Consumer<T> ran) {
        if (stopped) {
            throw new KeyManagerException(Code.STORAGE, "key store " + name + " is closed");
        }
        KeyManagerException failed = walSync.failure();
        if (failed != null) {
            throw new KeyManagerException(Code.STORAGE, failed.getMessage(), failed);
        }
        Op<T> op = new Op<>(work, discard, ran);
        queue.add(op);
        if (stopped && queue.remove(op)) {
            throw new KeyManagerException(Code.STORAGE, "key store " + name + " is closed");
        }
        return op;
    }

    /** Runs what is queued, then ends the thread. Returns false if already stopped. */
    boolean stop() {
        if (stopped) {
            return false;
        }
        stopped = true;
        queue.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        walSync.stop();
        return true;
    }

    private void loop() {
        long nextPeriodic = System.currentTimeMillis() + periodMillis;
        List<Op<?>> batch = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batch.clear();
            try {
                Op<?> first = queue.poll(periodMillis, TimeUnit.MILLISECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH);
                }
            } catch (InterruptedException e) {
                stopping = true;
            }
            if (batch.remove(STOP)) {
                stopping = true;
                queue.drainTo(batch);
                batch.remove(STOP);
            }
            batch.removeIf(op -> op == SYNCED);
            long now = System.currentTimeMillis();
            if (now >= nextPeriodic && !stopping) {
                nextPeriodic = now + periodMillis;
                batch.add(new Op<>(periodic, null));
            }
            long start = System.nanoTime();
            runGroup(batch);
            uncommittedCount = uncommitted.size();
            workNanos += System.nanoTime() - start;
            // While an fsync is under way the operations keep running into the open transaction;
            // it commits when the disk is free again, so one commit and one fsync serve them all.
            if (!uncommitted.isEmpty() && (stopping || walSync.idle() || uncommitted.size() >= MAX_BATCH)) {
                commit();
            }
        }
        closeSavepointStatements();
    }

    /** Operations waiting for the writer; read only by tests, racily. */
    int queuedForTest() {
        return queue.size();
    }

    /** Operations run but not yet committed; read only by tests, racily. */
    int uncommittedForTest() {
        return uncommittedCount;
    }

    WriterStats stats() {
        WriterStats s = stats;
        return new WriterStats(
                s.batches(),
                s.operations(),
                s.workNanos(),
                s.commitNanos(),
                s.slowCommits(),
                s.slowCommitNanos(),
                walSync.syncs(),
                walSync.syncNanos());
    }

    private void commit() {
        long start = System.nanoTime();
        boolean committed = false;
        try {
            connection.commit();
            committed = true;
        } catch (SQLException | RuntimeException e) {
            log.error("Commit failed on key store {}: {}", name, e.getMessage());
            reopenTransaction();
            for (Op<?> op : uncommitted) {
                if (op.failure == null) {
                    op.discardValue();
                    op.failure = storageFailure("commit failed", e);
                }
            }
        }
        long took = System.nanoTime() - start;
        boolean slow = took > WriterStats.SLOW_COMMIT_NANOS;
        WriterStats before = stats;
        stats = new WriterStats(
                before.batches() + 1,
                before.operations() + uncommitted.size(),
                before.workNanos() + workNanos,
                before.commitNanos() + took,
                before.slowCommits() + (slow ? 1 : 0),
                before.slowCommitNanos() + (slow ? took : 0),
                0,
                0);
        workNanos = 0;
        List<Op<?>> ops = List.copyOf(uncommitted);
        uncommitted.clear();
        uncommittedCount = 0;
        if (!committed) {
            ops.forEach(Op::complete);
            return;
        }
        walSync.afterCommit(new WalSync.Committed() {
            @Override
            public void durable() {
                ops.forEach(Op::complete);
            }

            @Override
            public void lost(KeyManagerException cause) {
                for (Op<?> op : ops) {
                    if (op.failure == null) {
                        op.discardValue();
                        op.failure = new KeyManagerException(Code.STORAGE, cause.getMessage(), cause);
                    }
                    op.complete();
                }
            }
        });
    }

    /**
     * Runs the operations in one savepoint, two statements for the group instead of two for each;
     * if any fails, undoes the group and runs each in its own savepoint. Adds them to the
     * uncommitted operations unless SQLite rolled the whole transaction back (a full disk, an I/O
     * error), in which case they and every operation run into it before have failed.
     */
    private void runGroup(List<Op<?>> ops) {
        if (ops.size() > 1) {
            boolean open = false;
            try {
                savepoint("SAVEPOINT ops").executeUpdate();
                open = true;
                for (Op<?> op : ops) {
                    runValue(op);
                }
                savepoint("RELEASE ops").executeUpdate();
                uncommitted.addAll(ops);
                ops.forEach(op -> op.tellRan(name));
                return;
            } catch (SQLException | RuntimeException e) {
                ops.forEach(Op::discardValue);
                if (open && !rollBack("ops")) {
                    uncommitted.addAll(ops);
                    abandonTransaction(e);
                    return;
                }
            }
        }
        for (Op<?> op : ops) {
            uncommitted.add(op);
            Exception lost = runInSavepoint(op);
            if (lost != null) {
                abandonTransaction(lost);
            } else {
                op.tellRan(name);
            }
        }
    }

    /**
     * SQLite rolled the open transaction back: every operation run into it since the last commit
     * fails (nothing of it is stored; none was answered yet), and a fresh transaction takes the
     * operations that follow.
     */
    private void abandonTransaction(Exception cause) {
        for (Op<?> op : uncommitted) {
            op.discardValue();
            if (op.failure == null) {
                op.failure = storageFailure("transaction rolled back", cause);
            }
            op.complete();
        }
        uncommitted.clear();
        uncommittedCount = 0;
        reopenTransaction();
    }

    /**
     * Leaves the connection in a fresh transaction after a failure. The driver begins one after a
     * successful rollback; when SQLite had already rolled back on its own, the rollback fails and the
     * connection would run the next statements in auto-commit mode, committing each on its own.
     */
    private void reopenTransaction() {
        try {
            connection.rollback();
        } catch (SQLException alreadyRolledBack) {
            log.debug("Rollback on key store {}: {}", name, alreadyRolledBack.getMessage());
        }
        try (Statement begin = connection.createStatement()) {
            begin.executeUpdate("BEGIN");
        } catch (SQLException alreadyOpen) {
            log.debug("Key store {} already in a transaction: {}", name, alreadyOpen.getMessage());
        }
    }

    private KeyManagerException storageFailure(String what, Throwable cause) {
        String reason = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        String hint = reason.contains("SQLITE_FULL") ? "; the disk is full: free space, then retry" : "";
        return new KeyManagerException(
                Code.STORAGE, "key store " + name + ": " + what + ", nothing stored (" + reason + ")" + hint, cause);
    }

    private static <T> void runValue(Op<T> op) throws SQLException {
        op.value = op.work.run();
    }

    /** Rolls back to and releases the savepoint {@code name}; false if SQLite refused. */
    private boolean rollBack(String savepoint) {
        try {
            savepoint("ROLLBACK TO " + savepoint).executeUpdate();
            savepoint("RELEASE " + savepoint).executeUpdate();
            return true;
        } catch (SQLException rollback) {
            log.error("Rollback to savepoint failed on key store {}: {}", name, rollback.getMessage());
            return false;
        }
    }

    /**
     * Runs one operation in its own savepoint; a failure rolls back that operation alone. Returns the
     * failure when SQLite had rolled back the whole transaction (the savepoint is gone), else null.
     */
    private <T> Exception runInSavepoint(Op<T> op) {
        boolean open = false;
        try {
            savepoint("SAVEPOINT op").executeUpdate();
            open = true;
            op.value = op.work.run();
            savepoint("RELEASE op").executeUpdate();
            return null;
        } catch (SQLException | RuntimeException e) {
            op.discardValue();
            op.failure = e instanceof RuntimeException r ? r : storageFailure(e.getMessage(), e);
            return open && !rollBack("op") ? e : null;
        }
    }

    /** The savepoint statements, prepared once: each operation opens and releases one. */
    private PreparedStatement savepoint(String sql) throws SQLException {
        PreparedStatement st = savepointStatements.get(sql);
        if (st == null) {
            st = connection.prepareStatement(sql);
            savepointStatements.put(sql, st);
        }
        return st;
    }

    private void closeSavepointStatements() {
        for (PreparedStatement st : savepointStatements.values()) {
            try {
                st.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
        savepointStatements.clear();
    }

    private static RuntimeException unwrap(Throwable cause) {
        if (cause instanceof CompletionException c && c.getCause() != null) {
            cause = c.getCause();
        }
        if (cause instanceof RuntimeException r) {
            return r;
        }
        return new KeyManagerException(Code.STORAGE, "key store failure: " + cause, cause);
    }
}
