package io.hotaru.keys.distill;

import io.hotaru.keys.distill.estimate.FiniteKeyEstimate;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import java.util.List;

/**
 * The figures of one block, identical at both ends. Accounting: {@code siftedBits = disclosedBits
 * + keyInputBits}, where the disclosed bits are every sifted test-basis (Z) bit and the key input
 * every sifted key-basis (X) bit; and {@code finalLength ≤ ⌊finiteKey.bound⌋ − safetyMarginBits}
 * and {@code ≤ keyInputBits − leakedEcBits − verificationBits − safetyMarginBits}. Fields not
 * reached before an abort are 0 (counts), NaN (rates) or {@link FiniteKeyEstimate#NONE}.
 *
 * @param intensities per intensity index (0 signal, 1 decoy, 2 vacuum): pulses, detections,
 *     sifted, disclosed (Z), errors (Z)
 * @param qberEstimate signal QBER in the test basis
 * @param correctedErrors bits Bob's reconciler flipped
 * @param leakedEcBits λ_EC, bits disclosed by error correction
 * @param roundTrips reconciliation request/response rounds
 * @param verificationBits length of the verification hash, ⌈log₂(1/ε_cor)⌉
 * @param finiteKey s_X,0, s_X,1, φ_X, λ_EC, ε_sec, ε_cor and the bound ℓ (Lim et al. 2014), with
 *     the λ_EC of the last estimate made (0 if the block stopped before error correction)
 * @param finalLength bits of final key
 * @param efficiency f = leakedEcBits / (keyInputBits · h(correctedErrors / keyInputBits))
 */
public record BlockReport(
        long blockId,
        int detections,
        int siftedBits,
        List<IntensityCounts> intensities,
        int disclosedBits,
        int keyInputBits,
        double qberEstimate,
        int correctedErrors,
        long leakedEcBits,
        int roundTrips,
        int verificationBits,
        int safetyMarginBits,
        FiniteKeyEstimate finiteKey,
        int finalLength,
        double efficiency) {
    public BlockReport {
        intensities = List.copyOf(intensities);
    }

    /** The finite-key bound on the secret length before rounding (may be negative, NaN if not reached). */
    public double secretBound() {
        return finiteKey.bound();
    }
}
