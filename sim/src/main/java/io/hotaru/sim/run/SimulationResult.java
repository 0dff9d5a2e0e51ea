package io.hotaru.sim.run;

/**
 * What {@code ./hotaru simulate} reports. Gains are clicks per pulse sent at that level (pulses ×
 * p_k); QBERs are errors among sifted clicks (Alice's and Bob's bases match). {@code analytic*}
 * are the honest link's expectation: with an eavesdropper the difference is her signature.
 *
 * @param pulses slots simulated
 * @param linkSeconds pulses / repetition rate
 * @param wallSeconds wall-clock time the simulation took
 * @param detections Bob's clicks (afterpulses included)
 * @param siftedBits clicks whose basis matched Alice's
 * @param gain measured gain per level
 * @param qber measured QBER per level
 * @param analyticGain expected gain per level (time-averaged over a pass)
 * @param analyticQber expected QBER per level (weighted by expected sifted clicks over a pass)
 * @param decoyRatePerPulse key rate per pulse the vacuum + weak decoy estimate concludes from the
 *     measured figures (0 if the set has no weak decoy)
 * @param attack the eavesdropper's spec, "none" without one
 */
public record SimulationResult(
        long pulses,
        double linkSeconds,
        double wallSeconds,
        long detections,
        long siftedBits,
        PerLevel gain,
        PerLevel qber,
        PerLevel analyticGain,
        PerLevel analyticQber,
        double decoyRatePerPulse,
        String attack) {

    /** Link seconds simulated per wall-clock second. */
    public double speed() {
        return wallSeconds > 0 ? linkSeconds / wallSeconds : Double.POSITIVE_INFINITY;
    }
}
