package io.hotaru.sim.physics;

/**
 * A fibre span: attenuation per kilometre times length, plus a fixed extra loss (connectors,
 * splices, a variable attenuator).
 *
 * @param attenuationDbPerKm α, e.g. 0.21 dB/km at 1550 nm
 * @param lengthKm L
 * @param extraLossDb loss on top of α·L
 */
public record FibreChannel(double attenuationDbPerKm, double lengthKm, double extraLossDb) implements QuantumChannel {

    public FibreChannel {
        Checks.nonNegative("attenuationDbPerKm", attenuationDbPerKm);
        Checks.nonNegative("lengthKm", lengthKm);
        Checks.nonNegative("extraLossDb", extraLossDb);
    }

    /** Total loss in dB. */
    public double lossDb() {
        return attenuationDbPerKm * lengthKm + extraLossDb;
    }

    /** Fraction of the photons that reach the receiver: 10^(−loss/10). */
    public double transmittance() {
        return Math.pow(10, -lossDb() / 10);
    }

    @Override
    public double transmittanceAt(double linkSeconds) {
        return transmittance();
    }

    @Override
    public boolean isConstant() {
        return true;
    }
}
