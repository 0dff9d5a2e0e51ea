package io.hotaru.keys.distill;

import io.hotaru.keys.distill.amplify.MultiplyShiftHash;
import io.hotaru.keys.distill.bits.PackedBits;
import io.hotaru.keys.distill.estimate.ParameterEstimate;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage.AmplificationSeed;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.Detections;
import io.hotaru.keys.distill.protocol.DistillMessage.EstimationBits;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconciliationComplete;
import io.hotaru.keys.distill.protocol.DistillMessage.SiftAnnouncement;
import io.hotaru.keys.distill.protocol.DistillMessage.VerificationResult;
import io.hotaru.keys.distill.protocol.DistillMessage.VerificationTag;
import io.hotaru.keys.distill.protocol.PeerTransport;
import io.hotaru.keys.distill.reconcile.ReconcileContext;
import io.hotaru.keys.distill.reconcile.ReconcileEndpoint;
import io.hotaru.keys.distill.reconcile.Reconciler;
import io.hotaru.keys.distill.sift.SiftedBlock;
import io.hotaru.keys.distill.verify.KeyVerifier;
import java.util.Arrays;

/**
 * Bob's end of block distillation. He starts the block by reporting his detections, corrects his
 * key through the reconciler, checks Alice's verification hash and confirms the final key. He
 * needs no randomness of his own: Alice draws every public random choice. One block at a time per
 * instance.
 */
public final class BobSession {
    private final DistillConfig config;
    private final SourceSettings source;
    private final Reconciler reconciler;
    private final PeerTransport transport;

    public BobSession(DistillConfig config, SourceSettings source, Reconciler reconciler, PeerTransport transport) {
        this.config = config;
        this.source = source;
        this.reconciler = reconciler;
        this.transport = transport;
    }

    /** Distils one block from Bob's detections, to a key or an abort. */
    public BlockOutcome distill(BobBlock block) {
        return distill(block, PeerWait.NONE);
    }

    /**
     * Distils one block from Bob's detections, to a key or an abort, telling {@code peerWait}
     * whenever it waits for Alice.
     */
    public BlockOutcome distill(BobBlock block, PeerWait peerWait) {
        long blockId = block.blockId();
        BlockExchange exchange = new BlockExchange(transport, blockId, peerWait);
        ReportBuilder report = new ReportBuilder(blockId, transport);
        report.detections(block.detections());
        long[] key = null;
        ReconcileEndpoint endpoint = null;
        try {
            // The message shares the block's slots and bases (public; nothing changes them after
            // framing) instead of copying 9 bytes per detection.
            exchange.send(new Detections(blockId, block.firstSlot(), block.endSlot(), block.slots(), block.bases()));

            SiftAnnouncement announcement = exchange.expect(SiftAnnouncement.class);
            SiftedBlock sifted = sift(announcement, block, source.keyBasis());
            report.sifted(sifted);
            long[] disclosed = sifted.disclosedBits(block.bits());
            if (announcement.disclosedBits().length != disclosed.length) {
                throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
            }
            exchange.send(new EstimationBits(blockId, disclosed));
            long slots = block.endSlot() - block.firstSlot();
            ParameterEstimate estimate =
                    Estimation.estimate(sifted, announcement.disclosedBits(), disclosed, source, slots);
            report.estimate(estimate);
            report.secret(
                    Estimation.secretBound(sifted, estimate, 0, config, source),
                    config.verificationBits(),
                    config.safetyMarginBits());
            Estimation.checkBeforeReconciliation(sifted, estimate, config, source);

            int n = sifted.keyInputSize();
            key = sifted.keyInputBits(block.bits());
            endpoint = reconciler.corrector(
                    key,
                    n,
                    new ReconcileContext(blockId, Estimation.planningQber(estimate), announcement.reconcileSeed()));
            correct(exchange, endpoint);
            long leaked = endpoint.leakedBits();
            report.reconciled(leaked, endpoint.roundTrips(), endpoint.correctedBits());
            exchange.send(new ReconciliationComplete(blockId, leaked, endpoint.correctedBits(), endpoint.roundTrips()));

            report.secret(
                    Estimation.secretBound(sifted, estimate, leaked, config, source),
                    config.verificationBits(),
                    config.safetyMarginBits());
            int length = Estimation.secretLength(sifted, estimate, leaked, config, source);
            if (length == 0) {
                throw BlockAbort.agreed(AbortReason.NO_SECRET_KEY);
            }

            VerificationTag tag = exchange.expect(VerificationTag.class);
            int tagBits = config.verificationBits();
            if (tag.tagBits() != tagBits
                    || tag.seed().length < PackedBits.words(KeyVerifier.seedBits(n, tagBits))
                    || tag.tag().length != PackedBits.words(tagBits)) {
                throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
            }
            boolean match = KeyVerifier.matches(tag.tag(), KeyVerifier.tag(key, n, tag.seed(), tagBits), tagBits);
            exchange.send(new VerificationResult(blockId, match));
            if (!match) {
                throw BlockAbort.agreed(AbortReason.VERIFICATION_FAILED);
            }

            AmplificationSeed seed = exchange.expect(AmplificationSeed.class);
            if (seed.finalLength() != length || seed.seed().length != MultiplyShiftHash.seedWords(n, length)) {
                throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
            }
            long[] amplified = MultiplyShiftHash.hash(key, n, seed.seed(), length);
            byte[] finalKey = PackedBits.toBytes(amplified, length);
            PackedBits.zero(amplified);
            try {
                exchange.send(new Confirm(blockId));
            } catch (RuntimeException transportFailed) {
                Arrays.fill(finalKey, (byte) 0);
                throw transportFailed;
            }
            report.finalLength(length);
            return new BlockOutcome.Distilled(blockId, finalKey, report.build());
        } catch (BlockAbort abort) {
            exchange.abort(abort);
            return new BlockOutcome.Aborted(blockId, abort.reason, report.build());
        } finally {
            if (endpoint != null) {
                endpoint.close();
            }
            PackedBits.zero(key);
        }
    }

    private static SiftedBlock sift(SiftAnnouncement announcement, BobBlock block, int keyBasis) {
        if (announcement.intensities().length != block.detections() || announcement.sampleMask().length != 0) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
        try {
            return SiftedBlock.of(announcement.intensities(), block.bases(), announcement.siftedMask(), keyBasis);
        } catch (IllegalArgumentException malformed) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
    }

    private static void correct(BlockExchange exchange, ReconcileEndpoint endpoint) {
        try {
            exchange.sendAll(endpoint.start());
            while (!endpoint.finished()) {
                exchange.sendAll(endpoint.onMessage(exchange.expect(ReconcileMessage.class)));
            }
        } catch (IllegalArgumentException malformed) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
    }
}
