package io.hotaru.keys.distill.estimate;

import java.util.List;

/**
 * The per-intensity counts of a block (index 0 signal, 1 weak decoy, 2 vacuum) and the signal
 * intensity's QBER in the disclosed test basis, which both ends use for the abort threshold and to
 * plan error correction. The secret length comes from {@link LimFiniteKey}, not from this QBER.
 */
public record ParameterEstimate(List<IntensityCounts> intensities, double qber) {
    public ParameterEstimate {
        intensities = List.copyOf(intensities);
        if (intensities.size() != 3) {
            throw new IllegalArgumentException("need signal, decoy and vacuum counts");
        }
    }

    public static ParameterEstimate of(List<IntensityCounts> counts) {
        IntensityCounts signal = counts.get(0);
        return new ParameterEstimate(counts, signal.disclosed() > 0 ? signal.errorRate() : Double.NaN);
    }

    public IntensityCounts signal() {
        return intensities.get(0);
    }
}
