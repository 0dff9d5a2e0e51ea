package io.hotaru.keys.distill.estimate;

import java.util.List;

/**
 * The per-intensity counts of a block and what follows from them: the signal QBER estimated on
 * the disclosed sample, and the decoy bounds on the single-photon contribution. Intensity index 0
 * is the signal, 1 the weak decoy, 2 the vacuum.
 */
public record ParameterEstimate(List<IntensityCounts> intensities, double qber, DecoyBounds decoy) {
    public ParameterEstimate {
        intensities = List.copyOf(intensities);
        if (intensities.size() != 3) {
            throw new IllegalArgumentException("need signal, decoy and vacuum counts");
        }
    }

    /** Estimates from the counts, with signal intensity μ and decoy intensity ν. */
    public static ParameterEstimate of(double mu, double nu, List<IntensityCounts> counts) {
        IntensityCounts signal = counts.get(0);
        IntensityCounts decoy = counts.get(1);
        IntensityCounts vacuum = counts.get(2);
        double qber = signal.disclosed() > 0 ? signal.errorRate() : Double.NaN;
        DecoyBounds bounds = DecoyBounds.NONE;
        if (signal.detected() > 0 && decoy.disclosed() > 0) {
            bounds = DecoyBounds.estimate(mu, nu, signal.gain(), decoy.gain(), vacuum.gain(), decoy.errorRate());
        }
        return new ParameterEstimate(counts, qber, bounds);
    }

    public IntensityCounts signal() {
        return intensities.get(0);
    }
}
