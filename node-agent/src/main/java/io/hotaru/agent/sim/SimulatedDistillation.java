package io.hotaru.agent.sim;

import io.hotaru.agent.link.BlockFramer;
import io.hotaru.agent.link.DetectionBlock;
import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.Qrng;
import io.hotaru.keys.distill.AliceEmissions;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.BobBlock;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.SourceSettings;
import io.hotaru.keys.distill.auth.AuthConfig;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthenticatedTransport;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.AbortReason;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.sim.physics.LinkParameters;
import io.hotaru.sim.physics.PulseState;
import io.hotaru.sim.physics.WeakCoherentSource;
import io.hotaru.sim.run.DetectionListener;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Distils a simulated link's detections with the key manager's real pipeline, as the two nodes of
 * the demo do: Bob's detections are framed into blocks by the receiver's {@link BlockFramer}; for
 * each block an {@link AliceSession} (on its own thread, looking up the states her source sent in
 * the detected slots) and a {@link BobSession} run sifting, finite-key estimation, Cascade,
 * verification and privacy amplification over an in-memory wire wrapped in Wegman–Carter {@link
 * AuthenticatedTransport}s. The authentication pools start from a pre-shared secret derived from the
 * seed, and after each distilled block both ends put back the tag key spent so far from that block's
 * key (the node daemon's rule), so that a long run never runs dry. Keys are compared at both ends by
 * constant-time equality, counted, zeroed; never kept or shown.
 */
final class SimulatedDistillation implements DetectionListener, AutoCloseable {

    /** What {@code ./hotaru simulate --distill} adds to its report. */
    record Totals(
            long blocks,
            long abortedBlocks,
            long secretBits,
            long finiteKeyBoundBits,
            double efficiency,
            long authBitsConsumed,
            Map<AbortReason, Long> abortReasons) {}

    private static final int BOOTSTRAP_BYTES = 1 << 16;
    private static final long BLOCK_TIMEOUT_SECONDS = 600;

    private final WeakCoherentSource alice;
    private final double slotPeriodPs;
    private final BlockFramer framer;
    private final AuthKeyPool alicePool;
    private final AuthKeyPool bobPool;
    private final AuthenticatedTransport aliceWire;
    private final AuthenticatedTransport bobWire;
    private final AliceSession aliceSession;
    private final BobSession bobSession;
    private final Qrng qrng;
    private final ExecutorService aliceThread;
    private long[] timestamps = new long[0];

    private long blocks;
    private long aborted;
    private long secretBits;
    private long boundBits;
    private double leakedBits;
    private double shannonBits;
    private long depositedBits;
    private final Map<AbortReason, Long> abortReasons = new EnumMap<>(AbortReason.class);

    /**
     * @param parameters the simulated link (three intensity levels: signal, decoy, vacuum)
     * @param linkKey the key the simulation's detection stream uses, so Alice regenerates her states
     * @param blockDetections detections per block
     * @param seed seeds the pre-shared secret, Alice's random choices and the squashing of multi-clicks
     * @throws IllegalArgumentException if the parameters do not have three intensity levels
     */
    SimulatedDistillation(LinkParameters parameters, long linkKey, int blockDetections, long seed) {
        SourceSettings settings = distillSettings(parameters);
        this.alice = new WeakCoherentSource(parameters, linkKey);
        this.slotPeriodPs = parameters.slotPeriodPs();
        this.framer = new BlockFramer(
                slotPeriodPs, blockDetections, 0, new SplittableRandom(seed ^ 0x6A09E667F3BCC909L), this::distill);
        byte[] secret = new byte[BOOTSTRAP_BYTES];
        new SplittableRandom(seed ^ 0xBB67AE8584CAA73BL).nextBytes(secret);
        try {
            this.alicePool = AuthKeyPool.bootstrap(secret);
            this.bobPool = AuthKeyPool.bootstrap(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
        InMemoryTransport.Pair wires = InMemoryTransport.pair();
        this.aliceWire = AuthenticatedTransport.alice(wires.alice(), alicePool, AuthConfig.defaults());
        this.bobWire = AuthenticatedTransport.bob(wires.bob(), bobPool, AuthConfig.defaults());
        this.qrng = Drivers.discover().open("sim:qrng?seed=" + (seed ^ 0x5DEECE66DL), Qrng.class);
        DistillConfig config = DistillConfig.defaults();
        this.aliceSession =
                new AliceSession(config, settings, CascadeReconciler.original(), new QrngRandomSource(qrng), aliceWire);
        this.bobSession = new BobSession(config, settings, CascadeReconciler.original(), bobWire);
        this.aliceThread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "simulate-alice");
            t.setDaemon(true);
            return t;
        });
    }

    static SourceSettings distillSettings(LinkParameters p) {
        if (p.levelCount() != SourceSettings.INTENSITIES) {
            throw new IllegalArgumentException("the distillation needs three intensity levels (signal, decoy,"
                    + " vacuum); the parameter set has " + p.levelCount());
        }
        return SourceSettings.of(
                p.intensity(0),
                p.intensity(1),
                p.intensityProbability(0),
                p.intensityProbability(1),
                p.intensityProbability(2),
                p.zBasisProbability());
    }

    @Override
    public void accept(long[] slots, byte[] channels, int[] states, int count) {
        if (timestamps.length < count) {
            timestamps = new long[slots.length];
        }
        for (int i = 0; i < count; i++) {
            timestamps[i] = Math.round(slots[i] * slotPeriodPs);
        }
        framer.add(timestamps, channels, count);
    }

    /** Distils the last full block, if one is waiting; a trailing partial block is left out. */
    Totals finish(long endSlot) {
        framer.completeUpTo(Math.round(endSlot * slotPeriodPs));
        double efficiency = shannonBits > 0 ? leakedBits / shannonBits : Double.NaN;
        return new Totals(
                blocks,
                aborted,
                secretBits,
                boundBits,
                efficiency,
                aliceWire.account().consumedBits(),
                Map.copyOf(abortReasons));
    }

    private void distill(DetectionBlock block) {
        Future<BlockOutcome> aliceOutcome = aliceThread.submit(
                () -> aliceSession.distill(block.blockId(), (id, first, end, slots) -> emissions(slots)));
        BlockOutcome bob;
        BlockOutcome alice;
        try {
            bob = bobSession.distill(new BobBlock(
                    block.blockId(), block.firstSlot(), block.endSlot(), block.slots(), block.bases(), block.bits()));
            alice = aliceOutcome.get(BLOCK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while distilling block " + block.blockId());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Alice's end failed on block " + block.blockId() + ": " + e);
        } finally {
            Arrays.fill(block.bits(), (byte) 0);
        }
        try {
            tally(alice, bob);
        } finally {
            wipe(alice);
            wipe(bob);
        }
    }

    private void tally(BlockOutcome alice, BlockOutcome bob) {
        blocks++;
        BlockReport r = bob.report();
        double bound = r.secretBound();
        if (Double.isFinite(bound) && bound > 0) {
            boundBits += (long) Math.floor(bound);
        }
        if (!(bob instanceof BlockOutcome.Distilled b)) {
            aborted++;
            if (bob instanceof BlockOutcome.Aborted a) {
                abortReasons.merge(a.reason(), 1L, Long::sum);
            }
            return;
        }
        if (!(alice instanceof BlockOutcome.Distilled a) || !MessageDigest.isEqual(a.key(), b.key())) {
            // Fail closed: the pipeline's verification makes this impossible unless something is broken.
            throw new IllegalStateException("block " + r.blockId() + ": the two ends did not distil the same key");
        }
        secretBits += r.finalLength();
        double q = r.keyInputBits() > 0 ? (double) r.correctedErrors() / r.keyInputBits() : 0;
        leakedBits += r.leakedEcBits();
        shannonBits += r.keyInputBits() * binaryEntropy(q);
        replenish(a.key(), b.key());
    }

    /**
     * Puts the tag key spent since the start (both directions, pads and hash keys) back into both
     * pools from the block's key, in whole 16-byte units, as the node daemon does.
     */
    private void replenish(byte[] aliceKey, byte[] bobKey) {
        var spent = aliceWire.account();
        long debt = spent.padBits() + spent.hashKeyBits() - depositedBits;
        int bytes = (int) Math.min(16 * ((Math.max(0, debt) + 127) / 128), (aliceKey.length / 16) * 16L);
        if (bytes == 0) {
            return;
        }
        byte[] a = Arrays.copyOf(aliceKey, bytes);
        byte[] b = Arrays.copyOf(bobKey, bytes);
        try {
            alicePool.deposit(a);
            bobPool.deposit(b);
        } finally {
            Arrays.fill(a, (byte) 0);
            Arrays.fill(b, (byte) 0);
        }
        depositedBits += 8L * bytes;
    }

    private AliceEmissions emissions(long[] slots) {
        int n = slots.length;
        byte[] intensity = new byte[n];
        byte[] basis = new byte[n];
        byte[] bit = new byte[n];
        for (int i = 0; i < n; i++) {
            int state = alice.state(slots[i]);
            intensity[i] = (byte) PulseState.intensityLevel(state);
            basis[i] = (byte) PulseState.basis(state);
            bit[i] = (byte) PulseState.bit(state);
        }
        return new AliceEmissions(slots, intensity, basis, bit);
    }

    private static void wipe(BlockOutcome outcome) {
        if (outcome instanceof BlockOutcome.Distilled d) {
            Arrays.fill(d.key(), (byte) 0);
        }
    }

    private static double binaryEntropy(double q) {
        if (q <= 0 || q >= 1) {
            return 0;
        }
        return -q * Math.log(q) / Math.log(2) - (1 - q) * Math.log1p(-q) / Math.log(2);
    }

    @Override
    public void close() {
        aliceThread.shutdownNow();
        aliceWire.close();
        bobWire.close();
        alicePool.close();
        bobPool.close();
        try {
            qrng.close();
        } catch (Exception e) {
            // a simulated QRNG holds nothing to release
        }
    }
}
