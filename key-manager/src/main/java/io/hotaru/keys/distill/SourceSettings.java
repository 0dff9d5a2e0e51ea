package io.hotaru.keys.distill;

import java.util.Arrays;

/**
 * The decoy-state source: mean photon numbers {μ, ν, 0} for intensity indices 0 (signal), 1 (weak
 * decoy) and 2 (vacuum), the probability of choosing each, and the probability of the Z basis.
 * Both ends use the expected pulse count {@code N·p_k} for a block of N slots, so they compute
 * identical gains.
 */
public record SourceSettings(double[] intensities, double[] probabilities, double zBasisProbability) {
    public static final int INTENSITIES = 3;
    public static final int SIGNAL = 0;
    public static final int DECOY = 1;
    public static final int VACUUM = 2;

    public SourceSettings {
        intensities = intensities.clone();
        probabilities = probabilities.clone();
        if (intensities.length != INTENSITIES || probabilities.length != INTENSITIES) {
            throw invalid("need exactly three intensities {signal, decoy, vacuum}");
        }
        double mu = intensities[SIGNAL];
        double nu = intensities[DECOY];
        if (!(mu > nu && nu > 0 && intensities[VACUUM] == 0)) {
            throw invalid("need signal > decoy > vacuum = 0");
        }
        double sum = 0;
        for (double p : probabilities) {
            if (!(p > 0 && p < 1)) {
                throw invalid("each intensity probability must be in (0, 1)");
            }
            sum += p;
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw invalid("intensity probabilities must sum to 1");
        }
        if (!(zBasisProbability > 0 && zBasisProbability < 1)) {
            throw invalid("Z-basis probability must be in (0, 1)");
        }
    }

    public static SourceSettings of(double mu, double nu, double pMu, double pNu, double pVacuum, double pZ) {
        return new SourceSettings(new double[] {mu, nu, 0}, new double[] {pMu, pNu, pVacuum}, pZ);
    }

    /**
     * The key basis: the basis chosen more often, Z (0) when p_Z &gt; ½, else X (1). Its sifted bits
     * are the key input and the other basis' sifted bits are disclosed to estimate the phase error
     * (Lim et al. 2014 call the key basis X and the test basis Z; docs/adr/0001). Both ends derive it
     * from the same settings, so they agree.
     */
    public int keyBasis() {
        return zBasisProbability > 0.5 ? 0 : 1;
    }

    public double mu() {
        return intensities[SIGNAL];
    }

    public double nu() {
        return intensities[DECOY];
    }

    public double intensity(int k) {
        return intensities[k];
    }

    public double probability(int k) {
        return probabilities[k];
    }

    /** Expected number of pulses of intensity {@code k} in a block of {@code slots} slots. */
    public double expectedPulses(int k, long slots) {
        return slots * probabilities[k];
    }

    @Override
    public double[] intensities() {
        return intensities.clone();
    }

    @Override
    public double[] probabilities() {
        return probabilities.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SourceSettings s
                && Arrays.equals(intensities, s.intensities)
                && Arrays.equals(probabilities, s.probabilities)
                && Double.compare(zBasisProbability, s.zBasisProbability) == 0;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(intensities) + Arrays.hashCode(probabilities);
    }

    @Override
    public String toString() {
        return "SourceSettings[intensities=" + Arrays.toString(intensities) + ", probabilities="
                + Arrays.toString(probabilities) + ", pZ=" + zBasisProbability + "]";
    }

    private static DistillException invalid(String why) {
        return new DistillException(DistillException.Code.INVALID_INPUT, why);
    }
}
