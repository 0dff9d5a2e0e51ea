package io.hotaru.keys.distill;

import io.hotaru.keys.distill.estimate.IntensityCounts;
import io.hotaru.keys.distill.estimate.ParameterEstimate;
import io.hotaru.keys.distill.estimate.SecretLength;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.sift.SiftedBlock;
import java.util.ArrayList;
import java.util.List;

/**
 * Parameter estimation and the decisions that follow from it. Both ends run this on the same
 * public data and so reach the same decisions without exchanging them.
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
        return ParameterEstimate.of(source.mu(), source.nu(), counts);
    }

    /** Aborts when the block cannot give key whatever error correction costs. */
    static void checkBeforeReconciliation(SiftedBlock sifted, ParameterEstimate estimate, DistillConfig config) {
        if (sifted.sampleSize() == 0
                || sifted.keyInputSize() == 0
                || sifted.disclosed(SourceSettings.DECOY) == 0
                || sifted.detected(SourceSettings.SIGNAL) == 0) {
            throw BlockAbort.agreed(AbortReason.TOO_FEW_BITS);
        }
        if (estimate.qber() > config.qberThreshold()) {
            throw BlockAbort.agreed(AbortReason.QBER_TOO_HIGH);
        }
        if (secretLength(sifted, estimate, 0, config) == 0) {
            throw BlockAbort.agreed(AbortReason.NO_SECRET_KEY);
        }
    }

    /**
     * The QBER the reconciler sizes its work for: the sample's error rate with Laplace's rule of
     * succession, (errors + 1)/(sample + 2), so that a small sample without errors does not make
     * Cascade's blocks too long. Indistinguishable from the plain estimate for large samples.
     */
    static double planningQber(ParameterEstimate estimate) {
        IntensityCounts signal = estimate.signal();
        return (signal.errors() + 1.0) / (signal.disclosed() + 2.0);
    }

    static double secretBound(SiftedBlock sifted, ParameterEstimate estimate, long leaked, DistillConfig config) {
        return SecretLength.bound(
                sifted.keyInputSize(),
                estimate.signal().gain(),
                estimate.decoy(),
                leaked,
                config.verificationBits(),
                config.safetyMarginBits());
    }

    static int secretLength(SiftedBlock sifted, ParameterEstimate estimate, long leaked, DistillConfig config) {
        return SecretLength.bits(
                sifted.keyInputSize(),
                estimate.signal().gain(),
                estimate.decoy(),
                leaked,
                config.verificationBits(),
                config.safetyMarginBits());
    }
}
