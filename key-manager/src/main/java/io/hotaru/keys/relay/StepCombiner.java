package io.hotaru.keys.relay;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Runs the work of many threads as one batch (flat combining): a thread queues its items, and
 * whichever thread finds no batch running takes every item queued so far (up to a limit), runs the
 * batch work once for all of them and hands each thread its result. Items queued while a batch
 * runs go together in the next one, so the batch grows with the load and a lone item never waits
 * for company. A batch runs in two phases: the next batch may start once the store's writer has
 * run this one's step (the relays that come meanwhile gather for it), while the thread that started
 * this one waits for its commit and finishes it; so one batch's commit overlaps the next one's
 * work, as the writer's group commit allows. (Starting the next batch at once when nobody waits
 * was tried: batches at the source fell from about 16 to 2 relays at 128 in flight.) Each thread returns as soon as its own items' batches are done; a thread that started a
 * batch wakes the owner of the next queued item to start the next one, so waiting threads are woken
 * only when their items are done or it is their turn.
 *
 * @param <I> an item
 * @param <R> an item's result
 */
final class StepCombiner<I, R> {
    private record Entry<I, R>(I item, CompletableFuture<R> result, Thread owner) {}

    /**
     * How long a waiting thread sleeps at most before it looks again: a safety net only, it is woken
     * when its items are done or it is its turn (with a hundred waiting threads, a short period would
     * itself cost a core).
     */
    private static final long RECHECK_NANOS = 50_000_000;

    private final ConcurrentLinkedQueue<Entry<I, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final int maxBatch;
    private final Function<List<I>, Started<R>> work;

    /** A batch whose first phase is done (here: its step is queued on the store's writer). */
    interface Started<R> {
        /** Waits until the next batch may start (here: the writer has run this one's step). */
        void awaitRun();

        /** The results, one per item, in order (here: waits for the commit, then sends). */
        List<R> finish();
    }

    /**
     * @param work starts a batch; an exception there or in its {@link Started#finish} fails every
     *     item of the batch
     */
    StepCombiner(int maxBatch, Function<List<I>, Started<R>> work) {
        this.maxBatch = maxBatch;
        this.work = work;
    }

    /**
     * Runs {@code items} in the next batches (together, unless they are more than a batch holds) and
     * returns their results in order, or throws the exception of the first item's batch that failed.
     */
    List<R> runAll(List<I> items) {
        List<Entry<I, R>> mine = new ArrayList<>(items.size());
        for (I item : items) {
            Entry<I, R> e = new Entry<>(item, new CompletableFuture<>(), Thread.currentThread());
            mine.add(e);
            queue.add(e);
        }
        boolean interrupted = false;
        while (!allDone(mine)) {
            if (running.compareAndSet(false, true)) {
                List<Entry<I, R>> batch = new ArrayList<>();
                Started<R> rest = null;
                try {
                    rest = startBatch(batch);
                    if (rest != null) {
                        rest.awaitRun(); // let the next batch gather while the writer runs this one
                    }
                } finally {
                    running.set(false);
                    Entry<I, R> next = queue.peek();
                    if (next != null) {
                        LockSupport.unpark(next.owner);
                    }
                }
                if (rest != null) {
                    finishBatch(batch, rest);
                }
            } else {
                LockSupport.parkNanos(this, RECHECK_NANOS); // an item done or our turn unparks us
                interrupted |= Thread.interrupted(); // queued items run anyway: wait, then pass it on
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        try {
            return mine.stream().map(e -> e.result.join()).toList();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Items queued and not yet taken by a batch. */
    int queued() {
        return queue.size();
    }

    private static boolean allDone(List<? extends Entry<?, ?>> entries) {
        for (Entry<?, ?> e : entries) {
            if (!e.result.isDone()) {
                return false;
            }
        }
        return true;
    }

    /** Takes the queued items into {@code batch} and runs the first phase; null if none or it failed. */
    private Started<R> startBatch(List<Entry<I, R>> batch) {
        for (Entry<I, R> e; batch.size() < maxBatch && (e = queue.poll()) != null; ) {
            batch.add(e);
        }
        if (batch.isEmpty()) {
            return null;
        }
        try {
            return work.apply(batch.stream().map(Entry::item).toList());
        } catch (RuntimeException | Error e) {
            fail(batch, e);
            return null;
        }
    }

    private void finishBatch(List<Entry<I, R>> batch, Started<R> rest) {
        try {
            List<R> results = rest.finish();
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).result.complete(results.get(i));
            }
        } catch (RuntimeException | Error e) {
            fail(batch, e);
            return;
        }
        batch.forEach(entry -> LockSupport.unpark(entry.owner));
    }

    private static <I, R> void fail(List<Entry<I, R>> batch, Throwable e) {
        batch.forEach(entry -> {
            entry.result.completeExceptionally(e); // each owner throws it
            LockSupport.unpark(entry.owner);
        });
    }
}
