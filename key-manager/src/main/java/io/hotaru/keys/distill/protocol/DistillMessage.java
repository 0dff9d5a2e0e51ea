package io.hotaru.keys.distill.protocol;

/**
 * The messages Alice and Bob exchange to distil one block, in protocol order. Plain values: the
 * codec, the transport and the authentication of each message are separate layers. Arrays are not
 * copied; nobody modifies a message's arrays after constructing it. Packed bit strings use the
 * layout of {@link io.hotaru.keys.distill.bits.PackedBits}. None of these carries key material:
 * disclosed estimation bits are discarded from the key, parities are counted as leaked.
 */
public sealed interface DistillMessage {
    long blockId();

    /** Bob → Alice: the detected slots, ascending, and the basis measured in each. */
    record Detections(long blockId, long firstSlot, long endSlot, long[] slots, byte[] bases)
            implements DistillMessage {
        public Detections {
            if (slots.length != bases.length) {
                throw new IllegalArgumentException("slots and bases differ in length");
            }
        }
    }

    /**
     * Alice → Bob: sifting and decoy announcement. One bit per detection where the bases matched,
     * Alice's intensity index for every detection, the estimation sample over the sifted signal
     * bits, Alice's disclosed bits (sample and every sifted decoy/vacuum bit, in detection order)
     * and the seed for the reconciler.
     */
    record SiftAnnouncement(
            long blockId,
            long[] siftedMask,
            byte[] intensities,
            long[] sampleMask,
            long[] disclosedBits,
            long reconcileSeed)
            implements DistillMessage {}

    /** Bob → Alice: Bob's bits at the same disclosed positions. */
    record EstimationBits(long blockId, long[] disclosedBits) implements DistillMessage {}

    /** Messages of the reconciler; the pipeline forwards them without looking inside. */
    sealed interface ReconcileMessage extends DistillMessage {}

    /**
     * Bob → Alice (Cascade): one round's parity questions; question i is the parity of Alice's key
     * bits at positions {@code [starts[i], ends[i])} of pass {@code passes[i]}'s permutation.
     */
    record ParityRequest(long blockId, int round, byte[] passes, int[] starts, int[] ends) implements ReconcileMessage {
        public ParityRequest {
            if (passes.length != starts.length || starts.length != ends.length) {
                throw new IllegalArgumentException("parity request arrays differ in length");
            }
        }

        public int size() {
            return starts.length;
        }
    }

    /** Alice → Bob (Cascade): the answers to one round, packed, in question order. */
    record ParityResponse(long blockId, int round, int count, long[] parities) implements ReconcileMessage {}

    /** Bob → Alice: reconciliation is over; both ends cross-check the leakage they counted. */
    record ReconciliationComplete(long blockId, long leakedBits, int correctedBits, int roundTrips)
            implements DistillMessage {}

    /** Alice → Bob: the verification hash seed and Alice's hash of her key input. */
    record VerificationTag(long blockId, int tagBits, long[] seed, long[] tag) implements DistillMessage {}

    /** Bob → Alice: whether Bob's hash of his corrected key equals Alice's. */
    record VerificationResult(long blockId, boolean match) implements DistillMessage {}

    /**
     * Alice → Bob: the final length and the privacy-amplification seed ({@code
     * MultiplyShiftHash.seedWords} words: k + 1 numbers of W = w + length − 1 bits).
     */
    record AmplificationSeed(long blockId, int finalLength, long[] seed) implements DistillMessage {}

    /** Bob → Alice: Bob has the final key; Alice may release hers. */
    record Confirm(long blockId) implements DistillMessage {}

    /** Either way: the sender gave up on this block. */
    record Abort(long blockId, AbortReason reason) implements DistillMessage {}

    /**
     * Either way, on the wire only, first on a new authenticated connection: how many words of
     * authentication key this end has used in each direction. Both ends move to the larger count
     * (public numbers; a lie costs key, and any disagreement fails the first tag). {@code blockId}
     * is 0.
     */
    record AuthSync(long blockId, long aliceToBobWords, long bobToAliceWords) implements DistillMessage {}

    /**
     * Either way, authenticated, on a new connection after {@link AuthSync} and before any block:
     * the last block whose key this end stored for the link ({@code -1} for none) and the words per
     * direction its authentication pool has been given ({@code depositedWords}). A block in flight
     * when the channel failed, or when a node died, may have ended distilled at one end only (Bob's
     * {@code Confirm} sent, never read); the end that is ahead withdraws that block's key and its
     * pool deposit before the link goes on, so that both ends again hold the same keys and pools.
     * {@code blockId} is 0.
     */
    record LinkResume(long blockId, long lastStoredBlock, long depositedWords) implements DistillMessage {}

    /**
     * Bob → Alice, on a new connection before any block: reveal which slots of {@code [firstSlot,
     * endSlot)} were vacuum, so that Bob can find his clock's offset by cross-correlation
     * (time-offset acquisition). Alice never distils a slot she revealed. An empty range ends the
     * requests of this connection. {@code blockId} is 0.
     */
    record SlotRevealRequest(long blockId, long firstSlot, long endSlot) implements DistillMessage {}

    /**
     * Alice → Bob: the answer to a {@link SlotRevealRequest}: bit {@code i} of {@code vacuumMask}
     * (word {@code i / 64}, bit {@code i % 64}) is set if slot {@code firstSlot + i} was sent at the
     * vacuum intensity. Intensities are public after the pulses (the decoy announcement reveals
     * them for every detection); basis and bit are not revealed.
     */
    record SlotReveal(long blockId, long firstSlot, long endSlot, long[] vacuumMask) implements DistillMessage {}

    /**
     * Either way, on the wire only: another message sealed by the Wegman–Carter layer ({@code
     * io.hotaru.keys.distill.auth}). {@code frame} is the codec frame of the inner message, {@code
     * sequence} its number in this direction and {@code tag} the one-time-padded hash over both.
     * The sessions never see one; the authenticated transport seals and opens them. {@code blockId}
     * repeats the inner message's and is checked against it after verification.
     */
    record Authenticated(long blockId, long sequence, byte[] frame, long tag) implements DistillMessage {
        @Override
        public String toString() {
            return "Authenticated[blockId=" + blockId + ", sequence=" + sequence + ", frameBytes=" + frame.length + "]";
        }
    }
}
