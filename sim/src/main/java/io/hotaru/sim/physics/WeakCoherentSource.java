package io.hotaru.sim.physics;

/**
 * Alice's weak coherent pulse source with decoy states: in every slot an intensity level (chosen
 * with the levels' probabilities), a basis (Z with probability p_Z) and a uniform bit. The photon
 * number of a pulse is Poisson with the level's mean; it is never drawn, since only its detection
 * probability matters (see {@link DetectionStream}).
 *
 * <p>The state of any slot is a pure function of (link key, parameters, slot), so both ends of a
 * link regenerate it on demand and nothing is stored per pulse. One 64-bit draw per slot: the top
 * 32 bits choose the level, bits 1 to 31 the basis, bit 0 the bit (probabilities to 2^−31).
 */
public final class WeakCoherentSource {

    private static final long TWO_32 = 1L << 32;

    private final CounterRandom random;
    private final long[] cumulativeLevel32;
    private final long zThreshold31;
    /** Cumulative thresholds of levels 0 and 1, or 2^32 where there is no such level to pass. */
    private final long firstThreshold;

    private final long secondThreshold;
    private final int lastLevel;

    public WeakCoherentSource(LinkParameters parameters, long linkKey) {
        this.random = CounterRandom.of(linkKey, Streams.ALICE_STATE);
        int levels = parameters.levelCount();
        this.cumulativeLevel32 = new long[levels];
        double cumulative = 0;
        for (int k = 0; k < levels; k++) {
            cumulative += parameters.intensityProbability(k);
            cumulativeLevel32[k] = Math.min(TWO_32, Math.round(cumulative * TWO_32));
        }
        // The last level that can be sent takes whatever rounding left over.
        int last = levels - 1;
        while (parameters.intensityProbability(last) == 0) {
            last--;
        }
        for (int k = last; k < levels; k++) {
            cumulativeLevel32[k] = TWO_32;
        }
        this.firstThreshold = last >= 1 ? cumulativeLevel32[0] : TWO_32;
        this.secondThreshold = last >= 2 ? cumulativeLevel32[1] : TWO_32;
        this.lastLevel = last;
        this.zThreshold31 = Math.round(parameters.zBasisProbability() * 0x1.0p31);
    }

    /** The state sent in {@code slot}, packed as in {@link PulseState}. */
    public int state(long slot) {
        return stateOf(random.at(slot));
    }

    /** The state a slot's random word stands for. */
    int stateOf(long a) {
        long u = a >>> 32;
        // Branch-free count of the cumulative thresholds at or below u; the first two (three
        // levels, the usual decoy set) without a loop.
        int level = (int) ((firstThreshold - 1 - u) >>> 63) + (int) ((secondThreshold - 1 - u) >>> 63);
        for (int k = 2; k < lastLevel; k++) {
            level += (int) ((cumulativeLevel32[k] - 1 - u) >>> 63);
        }
        // Branch-free too: with p_Z = 1/2 a branch on the basis would be mispredicted half the time.
        int basis = (int) ((zThreshold31 - 1 - ((a >>> 1) & 0x7FFFFFFFL)) >>> 63);
        return (level << 2) | (basis << 1) | (int) (a & 1);
    }

    CounterRandom random() {
        return random;
    }

    /** Where level {@code k} (1 or 2) starts on the top 32 bits of a word, or 2^32 if it cannot be sent. */
    long levelThreshold(int k) {
        return k == 1 ? firstThreshold : secondThreshold;
    }

    /** p_Z as a threshold on bits 1..31 of a word. */
    long zThreshold31() {
        return zThreshold31;
    }

    /** The highest level that can be sent. */
    int lastLevel() {
        return lastLevel;
    }

    /** The intensity level sent in {@code slot}. */
    public int level(long slot) {
        return PulseState.intensityLevel(state(slot));
    }
}
