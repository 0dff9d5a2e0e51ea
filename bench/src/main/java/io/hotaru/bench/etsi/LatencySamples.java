package io.hotaru.bench.etsi;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/** Latencies of the measured pairs, per SAE pair (each written by one pair's event loop only). */
final class LatencySamples {
    private final long[][] pair;
    private final long[][] enc;
    private final long[][] dec;
    private final int[] counts;
    private final int capacity;
    /** Pairs measured so far, read by the per-second monitor while the pairs run. */
    private final AtomicLong measured = new AtomicLong();

    LatencySamples(int pairs, int capacity) {
        this.pair = new long[pairs][capacity];
        this.enc = new long[pairs][capacity];
        this.dec = new long[pairs][capacity];
        this.counts = new int[pairs];
        this.capacity = capacity;
    }

    void add(int index, long pairNanos, long encNanos, long decNanos) {
        int n = counts[index];
        if (n < capacity) {
            pair[index][n] = pairNanos;
            enc[index][n] = encNanos;
            dec[index][n] = decNanos;
            counts[index] = n + 1;
        }
        measured.incrementAndGet();
    }

    /** Pairs measured so far; safe to read from any thread. */
    long measured() {
        return measured.get();
    }

    int total() {
        return Arrays.stream(counts).sum();
    }

    long[] sortedPair() {
        return merge(pair);
    }

    long[] sortedEnc() {
        return merge(enc);
    }

    long[] sortedDec() {
        return merge(dec);
    }

    private long[] merge(long[][] perPair) {
        long[] all = new long[total()];
        int at = 0;
        for (int i = 0; i < counts.length; i++) {
            System.arraycopy(perPair[i], 0, all, at, counts[i]);
            at += counts[i];
        }
        Arrays.sort(all);
        return all;
    }

    /** The quantile of sorted nanoseconds, in milliseconds. */
    static double quantileMillis(long[] sorted, double quantile) {
        return sorted[Math.min(sorted.length - 1, (int) (quantile * sorted.length))] / 1e6;
    }
}
