package io.hotaru.keys.distill;

import io.hotaru.keys.distill.estimate.BinaryEntropy;
import io.hotaru.keys.distill.estimate.FiniteKeyEstimate;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import io.hotaru.keys.distill.estimate.ParameterEstimate;
import io.hotaru.keys.distill.protocol.PeerTransport;
import io.hotaru.keys.distill.sift.SiftedBlock;
import java.util.List;

/**
 * Collects a block's figures as the protocol goes, so an abort at any step still reports them.
 * {@link #build} is called after the block's last message at this end (Confirm, or the abort),
 * so the authentication bits it reports are those of every message of the block.
 */
final class ReportBuilder {
    private final long blockId;
    private int detections;
    private int siftedBits;
    private List<IntensityCounts> intensities = List.of();
    private int disclosedBits;
    private int keyInputBits;
    private double qberEstimate = Double.NaN;
    private int correctedErrors;
    private long leakedEcBits;
    private int roundTrips;
    private int verificationBits;
    private int safetyMarginBits;
    private FiniteKeyEstimate finiteKey = FiniteKeyEstimate.NONE;
    private int finalLength;
    private final PeerTransport transport;
    private final long authenticationAtStart;

    /** Starts the block's report; the transport's authentication meter is read now and at {@link #build}. */
    ReportBuilder(long blockId, PeerTransport transport) {
        this.blockId = blockId;
        this.transport = transport;
        this.authenticationAtStart = transport.authenticationBitsConsumed();
    }

    void detections(int count) {
        detections = count;
    }

    void sifted(SiftedBlock sifted) {
        siftedBits = sifted.siftedTotal();
        disclosedBits = sifted.disclosedTotal();
        keyInputBits = sifted.keyInputSize();
    }

    void estimate(ParameterEstimate estimate) {
        intensities = estimate.intensities();
        qberEstimate = estimate.qber();
    }

    void reconciled(long leaked, int rounds, int corrected) {
        leakedEcBits = leaked;
        roundTrips = rounds;
        correctedErrors = corrected;
    }

    void secret(FiniteKeyEstimate bound, int verification, int margin) {
        finiteKey = bound;
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
                disclosedBits,
                keyInputBits,
                qberEstimate,
                correctedErrors,
                leakedEcBits,
                roundTrips,
                verificationBits,
                safetyMarginBits,
                finiteKey,
                finalLength,
                efficiency,
                transport.authenticationBitsConsumed() - authenticationAtStart);
    }
}
