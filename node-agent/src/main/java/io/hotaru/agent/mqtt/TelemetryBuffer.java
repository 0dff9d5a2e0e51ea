package io.hotaru.agent.mqtt;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Telemetry held while the broker cannot be reached: bounded, oldest dropped first, every drop
 * counted with the time span it covers so the gap can be reported. Not thread-safe (the publisher
 * guards it).
 */
final class TelemetryBuffer {

    record Pending(String topic, byte[] payload, Instant at) {}

    /** What was lost since the gap was last reported. */
    record Gap(long lost, Instant from, Instant to) {}

    private final int capacity;
    private final Deque<Pending> queue = new ArrayDeque<>();
    private long lost;
    private long lostTotal;
    private Instant lostFrom;
    private Instant lostTo;

    TelemetryBuffer(int capacity) {
        this.capacity = capacity;
    }

    void add(Pending p) {
        if (queue.size() >= capacity) {
            drop(queue.removeFirst());
        }
        queue.addLast(p);
    }

    private void drop(Pending dropped) {
        lost++;
        lostTotal++;
        if (lostFrom == null || dropped.at().isBefore(lostFrom)) {
            lostFrom = dropped.at();
        }
        if (lostTo == null || dropped.at().isAfter(lostTo)) {
            lostTo = dropped.at();
        }
    }

    /**
     * Puts messages that were sent but never acknowledged back at the front, in their order; if that
     * overflows the buffer, the oldest are dropped and counted.
     */
    void requeue(java.util.List<Pending> unacknowledged) {
        for (int i = unacknowledged.size() - 1; i >= 0; i--) {
            queue.addFirst(unacknowledged.get(i));
        }
        while (queue.size() > capacity) {
            drop(queue.removeFirst());
        }
    }

    Pending peek() {
        return queue.peekFirst();
    }

    void removeFirst() {
        queue.removeFirst();
    }

    int size() {
        return queue.size();
    }

    long lostTotal() {
        return lostTotal;
    }

    /** Whether telemetry was lost since the last {@link #clearGap}. */
    boolean hasGap() {
        return lost > 0;
    }

    /** What was lost since the last {@link #clearGap}, or null. */
    Gap gap() {
        return lost == 0 ? null : new Gap(lost, lostFrom, lostTo);
    }

    /** Called once the gap has been reported. */
    void clearGap() {
        lost = 0;
        lostFrom = null;
        lostTo = null;
    }
}
