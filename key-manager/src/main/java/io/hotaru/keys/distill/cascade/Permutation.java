package io.hotaru.keys.distill.cascade;

import java.util.function.IntFunction;

/**
 * A pass's shuffle of the key positions, derived from the shared seed and the pass number: a
 * Fisher–Yates shuffle driven by SplitMix64, two 32-bit draws per 64-bit output. The inverse
 * (original → shuffled) is built on first use; Alice never needs it.
 *
 * <p>Both tables may be longer than the key (arrays handed back by {@link PermutationCache} from an
 * earlier block): only their first {@code length} entries mean anything, and all of them are
 * written before use.
 */
final class Permutation {
    private final int[] toOriginal;
    private final int length;
    /** Where the inverse's table comes from: an array of at least the given length. */
    private final IntFunction<int[]> tables;

    private volatile int[] toShuffled;

    private Permutation(int[] toOriginal, int length, IntFunction<int[]> tables) {
        this.toOriginal = toOriginal;
        this.length = length;
        this.tables = tables;
    }

    static Permutation forPass(long seed, int pass, int length) {
        return forPass(seed, pass, length, int[]::new);
    }

    /** As {@link #forPass(long, int, int)}, its tables taken from {@code tables}. */
    static Permutation forPass(long seed, int pass, int length, IntFunction<int[]> tables) {
        SplitMix64 random = new SplitMix64(seed ^ (0xD1B54A32D192ED03L * (pass + 1)));
        int[] order = tables.apply(length);
        for (int i = 0; i < length; i++) {
            order[i] = i;
        }
        long spare = 0;
        boolean haveSpare = false;
        for (int i = length - 1; i > 0; i--) {
            int bound = i + 1;
            int j;
            while (true) {
                long r;
                if (haveSpare) {
                    r = spare & 0xFFFF_FFFFL;
                    haveSpare = false;
                } else {
                    long draw = random.nextLong();
                    r = draw >>> 32;
                    spare = draw;
                    haveSpare = true;
                }
                // Lemire's multiply-shift; reject the few low products that would bias it.
                long m = r * bound;
                if ((m & 0xFFFF_FFFFL) >= bound || (m & 0xFFFF_FFFFL) >= (0x1_0000_0000L - bound) % bound) {
                    j = (int) (m >>> 32);
                    break;
                }
            }
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Permutation(order, length, tables);
    }

    int length() {
        return length;
    }

    /** The tables, for {@link PermutationCache} to hand to a later block: the inverse's if built. */
    int[][] tables() {
        int[] inverse = toShuffled;
        return inverse == null ? new int[][] {toOriginal} : new int[][] {toOriginal, inverse};
    }

    int toOriginal(int shuffledIndex) {
        return toOriginal[shuffledIndex];
    }

    int toShuffled(int originalIndex) {
        int[] inverse = toShuffled;
        if (inverse == null) {
            inverse = tables.apply(length);
            for (int i = 0; i < length; i++) {
                inverse[toOriginal[i]] = i;
            }
            toShuffled = inverse;
        }
        return inverse[originalIndex];
    }

    /** The key with its bits in this pass's order. */
    long[] shuffle(long[] key) {
        int n = length;
        long[] out = new long[(n + 63) >>> 6];
        for (int w = 0, i = 0; i < n; w++) {
            long word = 0;
            int end = Math.min(n, i + 64);
            for (int b = 0; i < end; i++, b++) {
                int source = toOriginal[i];
                word |= ((key[source >>> 6] >>> source) & 1L) << b;
            }
            out[w] = word;
        }
        return out;
    }

    /** As {@link #shuffle(long[])} from the key unpacked one bit per byte (0 or 1). */
    long[] shuffle(byte[] unpacked) {
        int n = length;
        int[] order = toOriginal;
        long[] out = new long[(n + 63) >>> 6];
        int full = n >>> 6;
        for (int w = 0; w < full; w++) {
            long word = 0;
            int base = w << 6;
            for (int b = 0; b < 64; b++) {
                word |= (long) unpacked[order[base + b]] << b;
            }
            out[w] = word;
        }
        for (int i = full << 6; i < n; i++) {
            out[full] |= (long) unpacked[order[i]] << (i & 63);
        }
        return out;
    }

    /** One byte (0 or 1) per bit of the first {@code length} bits of {@code key}, a word at a time. */
    static byte[] unpack(long[] key, int length) {
        byte[] out = new byte[length];
        for (int w = 0, i = 0; i < length; w++) {
            long word = key[w];
            for (int end = Math.min(length, i + 64); i < end; i++, word >>>= 1) {
                out[i] = (byte) (word & 1);
            }
        }
        return out;
    }
}
