package io.hotaru.sim.physics;

/**
 * The optical path from Alice's output to Bob's receiver, as the detection sampler sees it: a
 * transmittance and a background click probability per gate, both possibly varying with link time
 * (a satellite pass). Attacks are applied on top of it by {@link LinkModel}.
 */
public interface QuantumChannel {

    /** Fraction of Alice's photons that reach Bob's receiver at {@code linkSeconds} after slot 0. */
    double transmittanceAt(double linkSeconds);

    /** Probability of a background click per gate (stray light) at {@code linkSeconds}; 0 for fibre. */
    default double backgroundProbabilityAt(double linkSeconds) {
        return 0;
    }

    /** Whether the transmittance and background are the same at all times. */
    boolean isConstant();
}
