package io.hotaru.drivers;

import java.util.Arrays;

/**
 * Settings of a decoy-state BB84 transmitter: pulse repetition rate, mean photon numbers of the
 * intensity levels (index 0 is the signal), how often each level is sent, and the probability of
 * the Z basis.
 */
public record SourceSettings(
        double repetitionRateHz, double[] intensities, double[] intensityProbabilities, double zBasisProbability) {

    public SourceSettings {
        if (!(repetitionRateHz > 0)) {
            throw new IllegalArgumentException("repetition rate must be > 0 Hz, got " + repetitionRateHz);
        }
        if (intensities.length == 0 || intensities.length != intensityProbabilities.length) {
            throw new IllegalArgumentException("need one probability per intensity level");
        }
        double sum = 0;
        for (int i = 0; i < intensities.length; i++) {
            if (!(intensities[i] >= 0)) {
                throw new IllegalArgumentException("intensity " + i + " must be >= 0, got " + intensities[i]);
            }
            double p = intensityProbabilities[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("probability of intensity " + i + " must be in [0,1], got " + p);
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("intensity probabilities must sum to 1, got " + sum);
        }
        if (!(zBasisProbability > 0 && zBasisProbability < 1)) {
            throw new IllegalArgumentException("Z-basis probability must be in (0,1), got " + zBasisProbability);
        }
        intensities = intensities.clone();
        intensityProbabilities = intensityProbabilities.clone();
    }

    @Override
    public double[] intensities() {
        return intensities.clone();
    }

    @Override
    public double[] intensityProbabilities() {
        return intensityProbabilities.clone();
    }

    /** Duration of one pulse slot in picoseconds. */
    public double slotPeriodPs() {
        return 1e12 / repetitionRateHz;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceSettings s
                && s.repetitionRateHz == repetitionRateHz
                && Arrays.equals(s.intensities, intensities)
                && Arrays.equals(s.intensityProbabilities, intensityProbabilities)
                && s.zBasisProbability == zBasisProbability;
    }

    @Override
    public int hashCode() {
        return Double.hashCode(repetitionRateHz) * 31 + Arrays.hashCode(intensities);
    }

    @Override
    public String toString() {
        return "SourceSettings[rate=" + repetitionRateHz + " Hz, intensities=" + Arrays.toString(intensities) + ", p="
                + Arrays.toString(intensityProbabilities) + ", pZ=" + zBasisProbability + "]";
    }
}
