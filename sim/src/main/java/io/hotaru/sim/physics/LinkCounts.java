package io.hotaru.sim.physics;

/**
 * Running tallies of a simulated link per intensity level: clicks, sifted clicks (Alice's and Bob's
 * bases match) and errors among them. Fixed size, whatever the number of pulses.
 */
public final class LinkCounts {

    private final long[] clicks;
    private final long[] sifted;
    private final long[] errors;

    public LinkCounts(int levels) {
        clicks = new long[levels];
        sifted = new long[levels];
        errors = new long[levels];
    }

    /** Counts one detection: Alice's packed state ({@link PulseState}) and Bob's channel. */
    public void add(int state, int channel) {
        int k = state >>> 2;
        clicks[k]++;
        int match = ((channel >>> 1) ^ (state >>> 1) ^ 1) & 1;
        sifted[k] += match;
        errors[k] += match & (channel ^ state) & 1;
    }

    /** Counts {@code n} detections. */
    public void addAll(int[] states, byte[] channels, int n) {
        for (int i = 0; i < n; i++) {
            add(states[i], channels[i]);
        }
    }

    public int levelCount() {
        return clicks.length;
    }

    public long clicks(int level) {
        return clicks[level];
    }

    public long sifted(int level) {
        return sifted[level];
    }

    public long errors(int level) {
        return errors[level];
    }

    public long totalClicks() {
        long s = 0;
        for (long c : clicks) {
            s += c;
        }
        return s;
    }

    public long totalSifted() {
        long s = 0;
        for (long c : sifted) {
            s += c;
        }
        return s;
    }

    /** Sifted error rate of a level, or NaN without sifted clicks. */
    public double qber(int level) {
        return sifted[level] == 0 ? Double.NaN : (double) errors[level] / sifted[level];
    }
}
