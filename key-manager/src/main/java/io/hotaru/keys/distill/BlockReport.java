package io.hotaru.keys.distill;

import io.hotaru.keys.distill.estimate.DecoyBounds;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import java.util.List;

/**
 * The figures of one block, identical at both ends. Accounting: {@code siftedBits = disclosedBits
 * + keyInputBits}, where the disclosed bits are the signal sample plus every decoy and vacuum bit;
 * and {@code finalLength ≤ keyInputBits − leakedEcBits − verificationBits − safetyMarginBits}.
 * Fields not reached before an abort are 0 (counts) or NaN (rates).
 *
 * @param intensities per intensity index (0 signal, 1 decoy, 2 vacuum): pulses, detections,
 *     sifted, disclosed, errors
 * @param sampleSize signal bits disclosed for the QBER estimate
 * @param qberEstimate signal QBER on the sample
 * @param decoy decoy-state bounds on the single-photon contribution
 * @param correctedErrors bits Bob's reconciler flipped
 * @param leakedEcBits bits disclosed by error correction
 * @param roundTrips reconciliation request/response rounds
 * @param secretBound the decoy bound on the secret length before rounding (may be negative)
 * @param finalLength bits of final key
 * @param efficiency f = leakedEcBits / (keyInputBits · h(correctedErrors / keyInputBits))
 */
public record BlockReport(
        long blockId,
        int detections,
        int siftedBits,
        List<IntensityCounts> intensities,
        int sampleSize,
        int disclosedBits,
        int keyInputBits,
        double qberEstimate,
        DecoyBounds decoy,
        int correctedErrors,
        long leakedEcBits,
        int roundTrips,
        int verificationBits,
        int safetyMarginBits,
        double secretBound,
        int finalLength,
        double efficiency) {
    public BlockReport {
        intensities = List.copyOf(intensities);
    }
}
