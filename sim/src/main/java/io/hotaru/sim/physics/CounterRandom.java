package io.hotaru.sim.physics;

/**
 * A counter-based random generator: {@link #at(long)} returns 64 random-looking bits for any counter
 * value in constant time, without state, so any slot of a link can be regenerated on demand and
 * independently of the order or chunking of the requests.
 *
 * <p>Counter i of a stream gives SplitMix64's i-th output, mix64(k + i·γ) (Steele, Lea, Flood,
 * OOPSLA 2014; mix64 is Stafford's Mix13), where the offset k and the odd increment γ are derived
 * from the link key and a stream number the way SplittableRandom derives a split generator's: each
 * stream has its own increment, so streams are not shifted copies of one another. One finaliser
 * round per draw: the simulator's inner loop draws two or three words per detection. Not
 * cryptographic: it simulates randomness, it does not provide it.
 */
public final class CounterRandom {

    private static final long STREAM_GAMMA = 0xD1B54A32D192ED03L;
    private static final double UNIT = 0x1.0p-53;

    /** The most words one {@link #atRun} call gives. */
    public static final int MAX_RUN = 256;

    private final long offset;
    private final long gamma;
    /** i·γ for i < {@link #MAX_RUN}, made on first use of {@link #atRun}. */
    private long[] steps;

    private CounterRandom(long offset, long gamma) {
        this.offset = offset;
        this.gamma = gamma;
    }

    /** k: {@code at(i)} is {@code mix64(offset() + i * gamma())}. */
    long offset() {
        return offset;
    }

    /** γ, the odd increment per counter. */
    long gamma() {
        return gamma;
    }

    /** The stream {@code stream} of the generator keyed by {@code key}. */
    public static CounterRandom of(long key, long stream) {
        long offset = mix64(key + stream * STREAM_GAMMA);
        return new CounterRandom(offset, increment(mix64(offset ^ STREAM_GAMMA)));
    }

    /**
     * An odd increment with enough 01/10 transitions that consecutive counters differ in many bits
     * before the finaliser (SplitMix64's rule for the increments of split generators).
     */
    static long increment(long bits) {
        long g = bits | 1;
        if (Long.bitCount(g ^ (g >>> 1)) < 24) {
            g ^= 0xAAAAAAAAAAAAAAAAL;
        }
        return g;
    }

    /**
     * The key of a simulated link: the seed mixed with the link's name, so that two links given the
     * same seed still differ.
     */
    public static long linkKey(long seed, String linkName) {
        long h = 0xCBF29CE484222325L; // FNV-1a 64 over the UTF-16 code units
        for (int i = 0; i < linkName.length(); i++) {
            h ^= linkName.charAt(i);
            h *= 0x100000001B3L;
        }
        return mix64(mix64(seed) ^ h);
    }

    /** 64 random bits for {@code counter}. */
    public long at(long counter) {
        return mix64(offset + counter * gamma);
    }

    /**
     * {@code out[i] = at(first + i)} for i < n ≤ {@link #MAX_RUN}: one counted loop over a table of
     * i·γ, which the JIT compiler turns into vector instructions where the processor multiplies
     * 64-bit lanes.
     */
    public void atRun(long first, long[] out, int n) {
        if (n > MAX_RUN) {
            throw new IllegalArgumentException("at most " + MAX_RUN + " words per run, asked " + n);
        }
        long[] step = steps;
        if (step == null) {
            step = new long[MAX_RUN];
            for (int i = 0; i < MAX_RUN; i++) {
                step[i] = i * gamma;
            }
            steps = step;
        }
        long base = offset + first * gamma;
        for (int i = 0; i < n; i++) {
            out[i] = mix64(base + step[i]);
        }
    }

    /** A uniform double in [0, 1) for {@code counter}. */
    public double unitAt(long counter) {
        return (at(counter) >>> 11) * UNIT;
    }

    /**
     * Fills {@code out[offset, offset + length)} with the bytes at positions {@code [position,
     * position + length)} of this stream's byte sequence: byte i is byte {@code i % 8} (little-endian)
     * of {@code at(i / 8)}. Chunking the positions differently gives the same bytes.
     */
    public void bytesAt(long position, byte[] out, int offset, int length) {
        long wordIndex = -1;
        long word = 0;
        for (int i = 0; i < length; i++) {
            long p = position + i;
            if ((p >>> 3) != wordIndex) {
                wordIndex = p >>> 3;
                word = at(wordIndex);
            }
            out[offset + i] = (byte) (word >>> ((p & 7) << 3));
        }
    }

    /** The SplitMix64 finaliser: a bijection of 64-bit values with good avalanche. */
    public static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The top 53 bits of {@code bits}, a uniform integer in [0, 2^53). */
    static long top53(long bits) {
        return bits >>> 11;
    }

    /** {@code probability} as a threshold for {@link #top53}: {@code top53(x) < t} has that probability. */
    static long threshold53(double probability) {
        if (probability <= 0) {
            return 0;
        }
        if (probability >= 1) {
            return 1L << 53;
        }
        return Math.round(probability * 0x1.0p53);
    }
}
