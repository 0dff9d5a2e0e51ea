package io.hotaru.keys.distill;

import io.hotaru.keys.distill.estimate.FiniteKeyEstimate;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import io.hotaru.keys.distill.estimate.LimFiniteKey;
import io.hotaru.keys.distill.estimate.ParameterEstimate;
import io.hotaru.keys.distill.estimate.SecretLength;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.sift.SiftedBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter estimation and the decisions that follow from it. Both ends run this on the same
 * public data and so reach the same decisions without exchanging them. The secret length is the
 * finite-key bound of Lim et al. 2014 (docs/adr/0001-finite-key-estimation.md).
 */
final class Estimation {
    private Estimation() {}

    static ParameterEstimate estimate(
            SiftedBlock sifted, long[] aliceDisclosed, long[] bobDisclosed, SourceSettings source, long slots) {
        int[] errors = sifted.disclosedErrors(aliceDisclosed, bobDisclosed);
        List<IntensityCounts> counts = new ArrayList<>();
        for (int k = 0; k < SourceSettings.INTENSITIES; k++) {
            counts.add(new IntensityCounts(
                    source.expectedPulses(k, slots),
                    sifted.detected(k),
                    sifted.sifted(k),
                    sifted.disclosed(k),
                    errors[k]));
        }
        return ParameterEstimate.of(counts);
    }

    /**
     * Aborts when the block cannot give key whatever error correction costs: no test or key bits,
     * signal QBER above the threshold, or a finite-key bound that is not positive even with
     * λ_EC = 0.
     */
    static void checkBeforeReconciliation(
            SiftedBlock sifted, ParameterEstimate estimate, DistillConfig config, SourceSettings source) {
        if (sifted.keyInputSize() == 0 || sifted.disclosed(SourceSettings.SIGNAL) == 0) {
            throw BlockAbort.agreed(AbortReason.TOO_FEW_BITS);
        }
        if (estimate.qber() > config.qberThreshold()) {
            throw BlockAbort.agreed(AbortReason.QBER_TOO_HIGH);
        }
        if (secretLength(sifted, estimate, 0, config, source) == 0) {
            throw BlockAbort.agreed(AbortReason.NO_SECRET_KEY);
        }
    }

    /**
     * The QBER the reconciler sizes its work for: the signal's test-basis error rate with Laplace's
     * rule of succession, (errors + 1)/(disclosed + 2), standing in for the key basis' QBER. It
     * only tunes Cascade's block sizes; leakage is counted as it happens.
     */
    static double planningQber(ParameterEstimate estimate) {
        IntensityCounts signal = estimate.signal();
        return (signal.errors() + 1.0) / (signal.disclosed() + 2.0);
    }

    static FiniteKeyEstimate secretBound(
            SiftedBlock sifted, ParameterEstimate estimate, long leaked, DistillConfig config, SourceSettings source) {
        return LimFiniteKey.estimate(
                source.intensities(),
                source.probabilities(),
                estimate.intensities(),
                leaked,
                config.epsSec(),
                config.epsCor());
    }

    static int secretLength(
            SiftedBlock sifted, ParameterEstimate estimate, long leaked, DistillConfig config, SourceSettings source) {
        return SecretLength.bits(
                secretBound(sifted, estimate, leaked, config, source),
                sifted.keyInputSize(),
                config.verificationBits(),
                config.safetyMarginBits());
    }
}
