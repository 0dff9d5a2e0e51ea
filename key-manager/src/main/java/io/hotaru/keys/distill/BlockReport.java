package io.hotaru.keys.distill;

import io.hotaru.keys.distill.estimate.FiniteKeyEstimate;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import java.util.List;

/**
 * The figures of one block, identical at both ends. Fields not reached before an abort are 0
 * (counts), NaN (rates) or {@link FiniteKeyEstimate#NONE}.
 *
 * <p>Accounting (docs/architecture.md, "Key accounting"): every raw detection ends in exactly one
 * term, and the final key pays for the block's authentication,
 *
 * <pre>
 * detections = unsifted + disclosed + leakedEc + verification + removedByAmplification + finalLength
 * finalLength = netKeyBits + authBitsConsumed
 * </pre>
 *
 * where unsifted = detections − siftedBits (basis mismatch), siftedBits = disclosedBits +
 * keyInputBits (every sifted test-basis bit is disclosed, every key-basis bit is key input), and
 * removedByAmplification = keyInputBits − leakedEc − verification − finalLength: the finite-key
 * penalty and the safety margin, which privacy amplification compresses away. For a distilled
 * block every term is ≥ 0 and {@code finalLength ≤ ⌊finiteKey.bound⌋ − safetyMarginBits}; an
 * aborted block has finalLength 0, so its netKeyBits is −authBitsConsumed: the key it cost.
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
 * @param authBitsConsumed authentication key bits this end spent on the block's messages (one-time
 *     pads, the hash keys drawn for them, bits skipped to resynchronise), from {@link
 *     io.hotaru.keys.distill.protocol.PeerTransport#authenticationBitsConsumed}; the same at both
 *     ends unless a message was lost or failed authentication
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
        double efficiency,
        long authBitsConsumed) {
    public BlockReport {
        intensities = List.copyOf(intensities);
    }

    /** Detections whose bases did not match (or were not usable): detections − siftedBits. */
    public int unsiftedBits() {
        return detections - siftedBits;
    }

    /**
     * Key input that is neither leaked, nor the verification hash, nor final key: what privacy
     * amplification removes (finite-key penalty and safety margin). Negative only if error
     * correction disclosed more than the key input, which aborts the block.
     */
    public long removedByAmplificationBits() {
        return (long) keyInputBits - leakedEcBits - verificationBits - finalLength;
    }

    /** Final key minus the authentication key the block consumed; negative for an aborted block. */
    public long netKeyBits() {
        return finalLength - authBitsConsumed;
    }

    /** The finite-key bound on the secret length before rounding (may be negative, NaN if not reached). */
    public double secretBound() {
        return finiteKey.bound();
    }
}
