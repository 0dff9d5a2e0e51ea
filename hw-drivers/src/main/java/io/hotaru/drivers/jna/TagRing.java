package io.hotaru.drivers.jna;

import io.hotaru.drivers.TagBatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded single-producer, single-consumer ring of time tags between a device's owner thread and
 * its reader. The producer never waits: what does not fit is dropped, counted and flagged on the
 * next batch the consumer takes.
 */
public final class TagRing {

    private final long[] timesPs;
    private final byte[] channels;
    private final int mask;
    private final AtomicLong head = new AtomicLong(); // next slot to read; written by the consumer
    private final AtomicLong tail = new AtomicLong(); // next slot to write; written by the producer
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final AtomicBoolean lossPending = new AtomicBoolean();
    private volatile long producedUpToPs = Long.MIN_VALUE;
    private long headCache;

    /** @param capacity rounded up to a power of two */
    public TagRing(int capacity) {
        int cap = Integer.highestOneBit(Math.max(2, capacity - 1)) << 1;
        this.timesPs = new long[cap];
        this.channels = new byte[cap];
        this.mask = cap - 1;
    }

    public int capacity() {
        return timesPs.length;
    }

    /** Producer: appends what fits of {@code n} events, drops and counts the rest. */
    public int offer(long[] t, byte[] c, int n) {
        long tl = tail.get();
        if (tl - headCache + n > timesPs.length) {
            headCache = head.get();
        }
        int accepted = (int) Math.min(n, timesPs.length - (tl - headCache));
        int start = (int) (tl & mask);
        int first = Math.min(accepted, timesPs.length - start);
        System.arraycopy(t, 0, timesPs, start, first);
        System.arraycopy(c, 0, channels, start, first);
        System.arraycopy(t, first, timesPs, 0, accepted - first);
        System.arraycopy(c, first, channels, 0, accepted - first);
        tail.lazySet(tl + accepted);
        offered.addAndGet(n);
        if (accepted < n) {
            dropped.addAndGet(n - accepted);
            lossPending.set(true);
        }
        return accepted;
    }

    /** Producer: the device itself reported loss; the next batch says so. */
    public void markLoss() {
        lossPending.set(true);
    }

    /** Producer: every event before this time has been offered. */
    public void producedUpTo(long ps) {
        producedUpToPs = ps;
    }

    /** Consumer: moves up to the batch's capacity into it; returns the count. */
    public int drainTo(TagBatch batch) {
        long complete = producedUpToPs;
        long hd = head.get();
        long tl = tail.get();
        int n = (int) Math.min(tl - hd, batch.capacity());
        int start = (int) (hd & mask);
        int first = Math.min(n, timesPs.length - start);
        System.arraycopy(timesPs, start, batch.timestampsPs(), 0, first);
        System.arraycopy(channels, start, batch.channels(), 0, first);
        System.arraycopy(timesPs, 0, batch.timestampsPs(), first, n - first);
        System.arraycopy(channels, 0, batch.channels(), first, n - first);
        head.lazySet(hd + n);
        boolean drained = hd + n == tl;
        long upTo = n == 0 ? complete : batch.timestampsPs()[n - 1];
        if (drained && complete > upTo) {
            upTo = complete;
        }
        batch.fill(n, lossPending.getAndSet(false), upTo == Long.MIN_VALUE ? 0 : upTo);
        return n;
    }

    public int available() {
        return (int) (tail.get() - head.get());
    }

    /** Events dropped because the consumer did not keep up. */
    public long dropped() {
        return dropped.get();
    }

    /** Events the producer offered. */
    public long offered() {
        return offered.get();
    }
}
