package io.hotaru.sim.physics;

/**
 * Running tallies of a simulated link per intensity level: clicks, sifted clicks (Alice's and Bob's
 * bases match) and errors among them. Fixed size, whatever the number of pulses.
 *
 * <p>Kept as one histogram over (Alice's state, Bob's channel), 16 cells per level, so that counting
 * a detection is a single increment whose address rarely repeats from one detection to the next;
 * the figures are summed from it when asked for.
 */
public final class LinkCounts {

    private final int levels;
    private final long[] histogram;

    public LinkCounts(int levels) {
        this.levels = levels;
        this.histogram = new long[levels << 4];
    }

    /** Counts one detection: Alice's packed state ({@link PulseState}) and Bob's channel. */
    public void add(int state, int channel) {
        histogram[state << 2 | channel]++;
    }

    /** Counts {@code n} detections. */
    public void addAll(int[] states, byte[] channels, int n) {
        long[] h = histogram;
        for (int i = 0; i < n; i++) {
            h[states[i] << 2 | channels[i]]++;
        }
    }

    public int levelCount() {
        return levels;
    }

    public long clicks(int level) {
        long s = 0;
        for (int cell = 0; cell < 16; cell++) {
            s += histogram[level << 4 | cell];
        }
        return s;
    }

    public long sifted(int level) {
        long s = 0;
        for (int cell = 0; cell < 16; cell++) {
            s += matches(cell) ? histogram[level << 4 | cell] : 0;
        }
        return s;
    }

    public long errors(int level) {
        long s = 0;
        for (int cell = 0; cell < 16; cell++) {
            s += matches(cell) && ((cell >>> 2) & 1) != (cell & 1) ? histogram[level << 4 | cell] : 0;
        }
        return s;
    }

    public long totalClicks() {
        long s = 0;
        for (int k = 0; k < levels; k++) {
            s += clicks(k);
        }
        return s;
    }

    public long totalSifted() {
        long s = 0;
        for (int k = 0; k < levels; k++) {
            s += sifted(k);
        }
        return s;
    }

    /** Sifted error rate of a level, or NaN without sifted clicks. */
    public double qber(int level) {
        long sifted = sifted(level);
        return sifted == 0 ? Double.NaN : (double) errors(level) / sifted;
    }

    /** Whether a cell (Alice's basis and bit, Bob's basis and bit) has matching bases. */
    private static boolean matches(int cell) {
        return ((cell >>> 3) & 1) == ((cell >>> 1) & 1);
    }
}
