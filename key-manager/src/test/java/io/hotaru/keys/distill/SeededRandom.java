package io.hotaru.keys.distill;

import io.hotaru.keys.distill.bits.RandomSource;
import java.util.SplittableRandom;

/** A reproducible {@link RandomSource} for tests; its seed goes into every failure message. */
public final class SeededRandom implements RandomSource {
    private final SplittableRandom random;
    private final long seed;

    public SeededRandom(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    @Override
    public long nextLong() {
        return random.nextLong();
    }

    public double nextDouble() {
        return random.nextDouble();
    }

    public long seed() {
        return seed;
    }

    @Override
    public String toString() {
        return "SeededRandom[seed=" + seed + "]";
    }
}
