package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fsync half of group commit. The writer commits a batch into the WAL and hands it here; this
 * thread takes every batch committed so far, fsyncs the WAL file once, and only then lets their
 * callers see their results. Meanwhile the writer runs and commits the next batches, so the disk's
 * flush latency no longer stalls it, and one fsync covers every batch committed before it started.
 *
 * <p>An fsync failure leaves the durability of those commits unknown: the store then fails closed,
 * refusing every later operation, as it cannot promise anything it acknowledges again.
 */
final class WalSync {
    private static final Logger log = LoggerFactory.getLogger(WalSync.class);

    /** A committed batch waiting for its fsync. */
    interface Committed {
        void durable();

        void lost(KeyManagerException cause);
    }

    private static final Committed STOP = new Committed() {
        @Override
        public void durable() {}

        @Override
        public void lost(KeyManagerException cause) {}
    };

    /** Makes what was written to the WAL durable. */
    @FunctionalInterface
    interface Flush {
        void force() throws IOException;
    }

    private final String name;
    private final Path wal;
    private final Flush flush;
    private final LinkedBlockingQueue<Committed> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private FileChannel channel;
    private Object fileKey;
    private volatile KeyManagerException failure;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile Runnable whenIdle = () -> {};
    private volatile long syncs;
    private volatile long syncNanos;

    /** Syncs the WAL file {@code wal} with fdatasync. */
    WalSync(String name, Path wal) {
        this.name = name;
        this.wal = wal;
        this.flush = this::forceWalFile;
        this.thread = new Thread(this::loop, "key-store-sync-" + name);
        this.thread.setDaemon(true);
    }

    /** Calls {@code flush} instead (tests hold or fail the fsync with it). */
    WalSync(String name, Flush flush) {
        this.name = name;
        this.wal = null;
        this.flush = flush;
        this.thread = new Thread(this::loop, "key-store-sync-" + name);
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Queues a batch whose commit is in the WAL; it is told once the WAL is on disk. */
    void afterCommit(Committed batch) {
        pending.incrementAndGet();
        queue.add(batch);
    }

    /** True when no committed batch waits for, or is in, an fsync. */
    boolean idle() {
        return pending.get() == 0;
    }

    /** {@code action} runs each time the fsyncs catch up with the commits. */
    void whenIdle(Runnable action) {
        whenIdle = action;
    }

    /** Non-null once an fsync failed: the store must refuse all work. */
    KeyManagerException failure() {
        return failure;
    }

    long syncs() {
        return syncs;
    }

    long syncNanos() {
        return syncNanos;
    }

    /** Syncs and releases every queued batch, then ends the thread. */
    void stop() {
        queue.add(STOP);
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeChannel();
    }

    private void loop() {
        List<Committed> batches = new ArrayList<>();
        boolean stopping = false;
        while (!stopping) {
            batches.clear();
            try {
                batches.add(queue.take());
            } catch (InterruptedException e) {
                stopping = true;
            }
            queue.drainTo(batches);
            stopping |= batches.remove(STOP);
            if (batches.isEmpty()) {
                continue;
            }
            KeyManagerException failed = failure != null ? failure : sync();
            for (Committed batch : batches) {
                if (failed == null) {
                    batch.durable();
                } else {
                    batch.lost(failed);
                }
            }
            if (pending.addAndGet(-batches.size()) == 0) {
                whenIdle.run();
            }
        }
    }

    private KeyManagerException sync() {
        long start = System.nanoTime();
        try {
            flush.force();
            syncNanos += System.nanoTime() - start;
            syncs++;
            return null;
        } catch (IOException | RuntimeException e) {
            failure = new KeyManagerException(Code.STORAGE, "key store " + name + " could not fsync its WAL: " + e, e);
            log.error("Key store {} refuses all further work: fsync of its WAL failed: {}", name, e.toString());
            return failure;
        }
    }

    private void forceWalFile() throws IOException {
        Object key = Files.readAttributes(wal, BasicFileAttributes.class).fileKey();
        if (channel == null || !Objects.equals(key, fileKey)) {
            // First sync, or SQLite made a new WAL file: sync the file that is there now.
            closeChannel();
            channel = FileChannel.open(wal, StandardOpenOption.READ);
            fileKey = key;
        }
        channel.force(false);
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // only read from
            }
            channel = null;
        }
    }
}
