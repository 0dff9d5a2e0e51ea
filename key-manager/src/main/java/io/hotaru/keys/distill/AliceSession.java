package io.hotaru.keys.distill;

import io.hotaru.keys.distill.amplify.MultiplyShiftHash;
import io.hotaru.keys.distill.bits.PackedBits;
import io.hotaru.keys.distill.bits.RandomSource;
import io.hotaru.keys.distill.estimate.ParameterEstimate;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.DistillMessage;
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
 * Alice's end of block distillation. She holds the reference key: she announces the sifting and
 * her intensities, draws every public random choice (estimation sample, reconciliation seed,
 * verification and amplification seeds) from the injected source, answers the reconciler and
 * releases her key only after Bob confirms. One block at a time per instance.
 */
public final class AliceSession {
    private final DistillConfig config;
    private final SourceSettings source;
    private final Reconciler reconciler;
    private final RandomSource random;
    private final PeerTransport transport;

    public AliceSession(
            DistillConfig config,
            SourceSettings source,
            Reconciler reconciler,
            RandomSource random,
            PeerTransport transport) {
        this.config = config;
        this.source = source;
        this.reconciler = reconciler;
        this.random = random;
        this.transport = transport;
    }

    /**
     * Distils block {@code blockId}: waits for Bob's detections, looks up what was emitted in
     * those slots, and runs the protocol to a key or an abort.
     */
    public BlockOutcome distill(long blockId, EmissionLookup lookup) {
        BlockExchange exchange = new BlockExchange(transport, blockId);
        ReportBuilder report = new ReportBuilder(blockId, transport);
        long[] key = null;
        ReconcileEndpoint endpoint = null;
        try {
            Detections detections = exchange.expect(Detections.class);
            validate(detections);
            report.detections(detections.slots().length);
            AliceEmissions emissions = lookUp(lookup, blockId, detections);

            long[] siftedMask = SiftedBlock.matchBases(emissions.bases(), detections.bases());
            byte[] intensities = emissions.intensities().clone();
            SiftedBlock sifted = SiftedBlock.of(intensities, detections.bases(), siftedMask, source.keyBasis());
            report.sifted(sifted);
            long[] disclosed = sifted.disclosedBits(emissions.bits());
            long reconcileSeed = random.nextLong();
            // Every sifted test-basis bit is disclosed and every key-basis bit kept: no sample to announce.
            exchange.send(
                    new SiftAnnouncement(blockId, siftedMask, intensities, new long[0], disclosed, reconcileSeed));
            // While Bob sifts and estimates, draw the reconciliation's public permutations.
            reconciler.prepare(reconcileSeed, sifted.keyInputSize());

            EstimationBits bob = exchange.expect(EstimationBits.class);
            if (bob.disclosedBits().length != disclosed.length) {
                throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
            }
            long slots = detections.endSlot() - detections.firstSlot();
            ParameterEstimate estimate = Estimation.estimate(sifted, disclosed, bob.disclosedBits(), source, slots);
            report.estimate(estimate);
            report.secret(
                    Estimation.secretBound(sifted, estimate, 0, config, source),
                    config.verificationBits(),
                    config.safetyMarginBits());
            Estimation.checkBeforeReconciliation(sifted, estimate, config, source);

            int n = sifted.keyInputSize();
            key = sifted.keyInputBits(emissions.bits());
            endpoint = reconciler.reference(
                    key, n, new ReconcileContext(blockId, Estimation.planningQber(estimate), reconcileSeed));
            answerReconciliation(exchange, endpoint, n, report);
            long leaked = endpoint.leakedBits();

            report.secret(
                    Estimation.secretBound(sifted, estimate, leaked, config, source),
                    config.verificationBits(),
                    config.safetyMarginBits());
            int length = Estimation.secretLength(sifted, estimate, leaked, config, source);
            if (length == 0) {
                throw BlockAbort.agreed(AbortReason.NO_SECRET_KEY);
            }

            int tagBits = config.verificationBits();
            long[] verificationSeed = random.nextBits(KeyVerifier.seedBits(n, tagBits));
            long[] tag = KeyVerifier.tag(key, n, verificationSeed, tagBits);
            exchange.send(new VerificationTag(blockId, tagBits, verificationSeed, tag));
            if (!exchange.expect(VerificationResult.class).match()) {
                throw BlockAbort.agreed(AbortReason.VERIFICATION_FAILED);
            }

            long[] amplificationSeed = random.nextBits(Math.multiplyExact(64, MultiplyShiftHash.seedWords(n, length)));
            exchange.send(new AmplificationSeed(blockId, length, amplificationSeed));
            long[] amplified = MultiplyShiftHash.hash(key, n, amplificationSeed, length);
            byte[] finalKey = PackedBits.toBytes(amplified, length);
            PackedBits.zero(amplified);
            try {
                exchange.expect(Confirm.class);
            } catch (RuntimeException noConfirmation) {
                Arrays.fill(finalKey, (byte) 0);
                throw noConfirmation;
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

    private static AliceEmissions lookUp(EmissionLookup lookup, long blockId, Detections detections) {
        AliceEmissions emissions;
        try {
            emissions = lookup.emissions(blockId, detections.firstSlot(), detections.endSlot(), detections.slots());
        } catch (DistillException invalid) {
            throw BlockAbort.local(AbortReason.INVALID_INPUT);
        }
        if (emissions == null || !emissions.coversExactly(detections.slots())) {
            throw BlockAbort.local(AbortReason.INVALID_INPUT);
        }
        return emissions;
    }

    private static void answerReconciliation(
            BlockExchange exchange, ReconcileEndpoint endpoint, int keyBits, ReportBuilder report) {
        try {
            exchange.sendAll(endpoint.start());
            while (true) {
                DistillMessage message = exchange.receive();
                if (message instanceof ReconcileMessage m) {
                    exchange.sendAll(endpoint.onMessage(m));
                    if (endpoint.leakedBits() > keyBits) {
                        // Bob has asked for more than the key holds: nothing can be left secret.
                        throw BlockAbort.local(AbortReason.NO_SECRET_KEY);
                    }
                } else if (message instanceof ReconciliationComplete complete) {
                    if (complete.leakedBits() != endpoint.leakedBits()
                            || complete.roundTrips() != endpoint.roundTrips()) {
                        throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
                    }
                    report.reconciled(endpoint.leakedBits(), endpoint.roundTrips(), complete.correctedBits());
                    return;
                } else {
                    throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
                }
            }
        } catch (IllegalArgumentException malformed) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
    }

    private static void validate(Detections detections) {
        try {
            DetectionChecks.check(detections.firstSlot(), detections.endSlot(), detections.slots(), detections.bases());
        } catch (DistillException e) {
            throw BlockAbort.local(AbortReason.PROTOCOL_ERROR);
        }
    }
}
