package io.hotaru.keys.store;

import java.time.Duration;

/**
 * Counts the distilled blocks a store has stored, so that a thread waiting for units whose block
 * has not reached this end yet is woken when one arrives instead of looking for them on a timer.
 * The count is raised once a block is durable; a waiter reads it before it looks, so a block
 * stored between its look and its wait still wakes it.
 */
final class BlockArrivals {
    private long stored;

    synchronized long count() {
        return stored;
    }

    synchronized void arrived() {
        stored++;
        notifyAll();
    }

    /**
     * Waits until a block is stored after the count {@code seen}, or {@code timeout} passes.
     *
     * @return whether one was
     */
    synchronized boolean awaitAfter(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stored == seen) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            wait(left / 1_000_000, (int) (left % 1_000_000));
        }
        return true;
    }
}
