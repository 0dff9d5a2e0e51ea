package io.hotaru.keys.distill.estimate;

import io.hotaru.keys.distill.bits.PackedBits;
import io.hotaru.keys.distill.bits.RandomSource;

/** Draws the parameter-estimation sample: a uniformly random subset of a given size. */
public final class SampleSelector {
    private SampleSelector() {}

    /** Sample size for {@code population} sifted signal bits. */
    public static int sampleSize(int population, double fraction, int minimum) {
        long size = Math.max(minimum, Math.round(population * fraction));
        return (int) Math.min(population, size);
    }

    /** A packed mask over {@code [0, population)} with exactly {@code size} bits set. */
    public static long[] select(int population, int size, RandomSource random) {
        if (size < 0 || size > population) {
            throw new IllegalArgumentException("sample size out of range");
        }
        int[] order = new int[population];
        for (int i = 0; i < population; i++) {
            order[i] = i;
        }
        long[] mask = new long[PackedBits.words(population)];
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(population - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            PackedBits.set(mask, order[i]);
        }
        return mask;
    }
}
