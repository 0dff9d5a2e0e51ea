package io.hotaru.keys.distill;

import io.hotaru.keys.distill.estimate.BinaryEntropy;
import io.hotaru.keys.distill.estimate.DecoyBounds;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import io.hotaru.keys.distill.estimate.ParameterEstimate;
import io.hotaru.keys.distill.sift.SiftedBlock;
import java.util.List;

/** Collects a block's figures as the protocol goes, so an abort at any step still reports them. */
final class ReportBuilder {
    private final long blockId;
    private int detections;
    private int siftedBits;
    private List<IntensityCounts> intensities = List.of();
    private int sampleSize;
    private int disclosedBits;
    private int keyInputBits;
    private double qberEstimate = Double.NaN;
    private DecoyBounds decoy = DecoyBounds.NONE;
    private int correctedErrors;
    private long leakedEcBits;
    private int roundTrips;
    private int verificationBits;
    private int safetyMarginBits;
    private double secretBound = Double.NaN;
    private int finalLength;

    ReportBuilder(long blockId) {
        this.blockId = blockId;
    }

    void detections(int count) {
        detections = count;
    }

    void sifted(SiftedBlock sifted) {
        siftedBits = sifted.siftedTotal();
        sampleSize = sifted.sampleSize();
        disclosedBits = sifted.disclosedTotal();
        keyInputBits = sifted.keyInputSize();
    }

    void estimate(ParameterEstimate estimate) {
        intensities = estimate.intensities();
        qberEstimate = estimate.qber();
        decoy = estimate.decoy();
    }

    void reconciled(long leaked, int rounds, int corrected) {
        leakedEcBits = leaked;
        roundTrips = rounds;
        correctedErrors = corrected;
    }

    void secret(double bound, int verification, int margin) {
        secretBound = bound;
        verificationBits = verification;
        safetyMarginBits = margin;
    }

    void finalLength(int bits) {
        finalLength = bits;
    }

    BlockReport build() {
        double efficiency = Double.NaN;
        if (keyInputBits > 0 && correctedErrors > 0) {
            efficiency = leakedEcBits / (keyInputBits * BinaryEntropy.h((double) correctedErrors / keyInputBits));
        }
        return new BlockReport(
                blockId,
                detections,
                siftedBits,
                intensities,
                sampleSize,
                disclosedBits,
                keyInputBits,
                qberEstimate,
                decoy,
                correctedErrors,
                leakedEcBits,
                roundTrips,
                verificationBits,
                safetyMarginBits,
                secretBound,
                finalLength,
                efficiency);
    }
}
