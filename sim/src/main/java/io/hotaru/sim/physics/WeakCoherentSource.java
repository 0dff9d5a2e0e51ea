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
    private final boolean singleLevel;
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
        this.singleLevel = cumulativeLevel32[0] == TWO_32;
        this.lastLevel = last;
        this.zThreshold31 = Math.round(parameters.zBasisProbability() * 0x1.0p31);
    }

    /** The state sent in {@code slot}, packed as in {@link PulseState}. */
    public int state(long slot) {
        long a = random.at(slot);
        int level = 0;
        if (!singleLevel) {
            long u = a >>> 32;
            // Branch-free count of the cumulative thresholds at or below u.
            for (int k = 0; k < lastLevel; k++) {
                level += (int) ((cumulativeLevel32[k] - 1 - u) >>> 63);
            }
        }
        int basis = ((a >>> 1) & 0x7FFFFFFFL) < zThreshold31 ? 0 : 1;
        return (level << 2) | (basis << 1) | (int) (a & 1);
    }

    /** The intensity level sent in {@code slot}. */
    public int level(long slot) {
        return PulseState.intensityLevel(state(slot));
    }
}
