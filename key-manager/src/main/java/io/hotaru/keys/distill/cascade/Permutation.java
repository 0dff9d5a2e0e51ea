package io.hotaru.keys.distill.cascade;

import io.hotaru.keys.distill.bits.PackedBits;

/** A pass's shuffle of the key positions, derived from the shared seed and the pass number. */
final class Permutation {
    private final int[] toOriginal;
    private final int[] toShuffled;

    private Permutation(int[] toOriginal) {
        this.toOriginal = toOriginal;
        this.toShuffled = new int[toOriginal.length];
        for (int i = 0; i < toOriginal.length; i++) {
            toShuffled[toOriginal[i]] = i;
        }
    }

    static Permutation forPass(long seed, int pass, int length) {
        SplitMix64 random = new SplitMix64(seed ^ (0xD1B54A32D192ED03L * (pass + 1)));
        int[] order = new int[length];
        for (int i = 0; i < length; i++) {
            order[i] = i;
        }
        for (int i = length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return new Permutation(order);
    }

    int toOriginal(int shuffledIndex) {
        return toOriginal[shuffledIndex];
    }

    int toShuffled(int originalIndex) {
        return toShuffled[originalIndex];
    }

    /** The key with its bits in this pass's order. */
    long[] shuffle(long[] key) {
        long[] out = new long[PackedBits.words(toOriginal.length)];
        for (int i = 0; i < toOriginal.length; i++) {
            if (PackedBits.get(key, toOriginal[i]) != 0) {
                PackedBits.set(out, i);
            }
        }
        return out;
    }
}
