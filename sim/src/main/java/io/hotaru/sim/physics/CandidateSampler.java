package io.hotaru.sim.physics;

/**
 * The candidate slots of a {@link DetectionStream}: within each block of 2^16 slots a Bernoulli
 * process at the largest click probability p_max, drawn as geometric gaps ⌊E/λ⌋ with E exponential
 * (an {@link ExponentialZiggurat}) and λ = −ln(1 − p_max). The i-th gap of a block is keyed by
 * (block, i), not by the slot before it, so its random word does not wait on the gaps before it:
 * the words come in runs ({@link CounterRandom#atRun}, vectorised), enough for the expected number
 * of candidates and two standard deviations more, then 32 at a time.
 */
final class CandidateSampler {

    private static final long BLOCK_SLOTS = 1L << DetectionStream.BLOCK_BITS;
    private static final int NEXT_RUN = 32;

    private final CounterRandom gapRandom;
    private final ExponentialZiggurat exponential;
    private final long[] gapWords = new long[CounterRandom.MAX_RUN];
    /** Slots per unit of the exponential variate: 1/λ = −1/ln(1 − p_max). */
    private double slotsPerExponential;
    /** Gap words drawn first in a block: the expected candidates and two standard deviations more. */
    private int firstRun = 1;

    private long[] candidates = new long[256];

    CandidateSampler(long linkKey) {
        this.gapRandom = CounterRandom.of(linkKey, Streams.BOB_GAP);
        this.exponential = new ExponentialZiggurat(CounterRandom.of(linkKey, Streams.BOB_GAP_RETRY));
    }

    /** Sets p_max, the candidate probability per slot, in (0, 1]. */
    void setRate(double maxClickProbability) {
        double expected = BLOCK_SLOTS * maxClickProbability;
        firstRun = (int) Math.min(BLOCK_SLOTS + 1, Math.ceil(expected + 2 * Math.sqrt(expected) + 8));
        slotsPerExponential = maxClickProbability >= 1 ? 0 : -1 / Math.log1p(-maxClickProbability);
    }

    /** The candidates drawn so far, in slot order within each block. */
    long[] candidates() {
        return candidates;
    }

    /**
     * Writes the candidate slots of the block from {@code blockStart} to {@link #candidates()} from
     * index {@code from} on and returns the index after the last.
     *
     * @param maxLength the most room the candidates of a whole batch of blocks can need
     */
    int draw(long blockStart, int from, int maxLength) {
        long blockEnd = blockStart + BLOCK_SLOTS;
        double scale = slotsPerExponential;
        CounterRandom gaps = gapRandom;
        ExponentialZiggurat zig = exponential;
        long slot = blockStart - 1;
        int i = 0;
        int run = Math.min(firstRun, CounterRandom.MAX_RUN);
        while (true) {
            if (candidates.length < from + i + run) {
                candidates = java.util.Arrays.copyOf(
                        candidates, Math.max(from + i + run, Math.min(2 * candidates.length, maxLength)));
            }
            long[] out = candidates;
            long[] words = gapWords;
            gaps.atRun(blockStart + i, words, run);
            for (int j = 0; j < run; j++, i++) {
                // Clamped after the conversion (the same value, and a cheaper minimum than a double's).
                long gap = Math.min((long) (zig.sample(words[j], blockStart + i) * scale), BLOCK_SLOTS);
                slot += 1 + gap;
                if (slot >= blockEnd) {
                    return from + i;
                }
                out[from + i] = slot;
            }
            run = Math.min(i < firstRun ? firstRun - i : NEXT_RUN, CounterRandom.MAX_RUN);
        }
    }
}
