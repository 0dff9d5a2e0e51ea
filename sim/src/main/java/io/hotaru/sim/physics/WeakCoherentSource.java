package io.hotaru.sim.physics;

/**
 * Alice's weak coherent pulse source with decoy states: in every slot an intensity level (chosen
 * with the levels' probabilities), a basis (Z with probability p_Z) and a uniform bit. The photon
 * number of a pulse is Poisson with the level's mean; it is never drawn, since only its detection
 * probability matters (see {@link DetectionStream}).
 *
 * <p>The state of any slot is a pure function of (link key, parameters, slot), so both ends of a
 * link regenerate it on demand and nothing is stored per pulse.
 */
public final class WeakCoherentSource {

    private final CounterRandom levelRandom;
    private final CounterRandom basisRandom;
    private final long[] cumulativeLevel53;
    private final long zThreshold53;

    public WeakCoherentSource(LinkParameters parameters, long linkKey) {
        this.levelRandom = CounterRandom.of(linkKey, Streams.ALICE_LEVEL);
        this.basisRandom = CounterRandom.of(linkKey, Streams.ALICE_BASIS_BIT);
        int levels = parameters.levelCount();
        this.cumulativeLevel53 = new long[levels];
        double cumulative = 0;
        for (int k = 0; k < levels; k++) {
            cumulative += parameters.intensityProbability(k);
            cumulativeLevel53[k] = CounterRandom.threshold53(cumulative);
        }
        // The last level that can be sent takes whatever rounding left over.
        int last = levels - 1;
        while (parameters.intensityProbability(last) == 0) {
            last--;
        }
        for (int k = last; k < levels; k++) {
            cumulativeLevel53[k] = 1L << 53;
        }
        this.zThreshold53 = CounterRandom.threshold53(parameters.zBasisProbability());
    }

    /** The state sent in {@code slot}, packed as in {@link PulseState}. */
    public int state(long slot) {
        long u = CounterRandom.top53(levelRandom.at(slot));
        int level = 0;
        while (u >= cumulativeLevel53[level]) {
            level++;
        }
        long b = basisRandom.at(slot);
        int basis = CounterRandom.top53(b) < zThreshold53 ? 0 : 1;
        return PulseState.pack(level, basis, (int) (b & 1));
    }

    /** The intensity level sent in {@code slot}. */
    public int level(long slot) {
        return PulseState.intensityLevel(state(slot));
    }
}
