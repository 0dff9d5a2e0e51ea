package io.hotaru.keys.store;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the distilled blocks a store has stored, per link, so that a thread waiting for units
 * whose block has not reached this end yet is woken when a block of that link arrives instead of
 * looking for them on a timer. The count is raised once a block is durable; a waiter reads it
 * before it looks, so a block stored between its look and its wait still wakes it.
 */
final class BlockArrivals {
    private final Map<String, Long> stored = new HashMap<>();
    private int waiting;

    synchronized long count(String linkId) {
        return stored.getOrDefault(linkId, 0L);
    }

    synchronized void arrived(String linkId) {
        stored.merge(linkId, 1L, Long::sum);
        if (waiting > 0) {
            notifyAll();
        }
    }

    /** Threads waiting in {@link #awaitAfter}. */
    synchronized int waiting() {
        return waiting;
    }

    /**
     * Waits until a block of {@code linkId} is stored after the count {@code seen}, or {@code
     * timeout} passes.
     *
     * @return whether one was
     */
    synchronized boolean awaitAfter(String linkId, long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        waiting++;
        try {
            while (count(linkId) == seen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                wait(left / 1_000_000, (int) (left % 1_000_000));
            }
            return true;
        } finally {
            waiting--;
        }
    }
}
