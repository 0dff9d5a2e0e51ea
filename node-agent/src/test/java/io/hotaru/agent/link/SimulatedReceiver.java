package io.hotaru.agent.link;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.sim.devices.SimDriverProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A simulated link's receiver driven by hand for the control-loop tests: the sim devices on a clock
 * the test moves, the real {@link BlockFramer}, and per block the error counts that sifting would
 * find, taken from Alice's states (the distillation itself is exercised elsewhere).
 */
final class SimulatedReceiver implements AutoCloseable {

    /** One block's counts: all intensities for the loop, and the signal Z QBER (the block's QBER estimate). */
    record Block(QberSample sample, double signalZQber) {}

    final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    final TimeTagger tagger;
    final PolarisationController controller;
    final PhotonSource source;
    final BlockFramer framer;
    final List<Block> blocks = new ArrayList<>();
    private final TagBatch batch = new TagBatch(1 << 16);
    private final List<ReceiverLoop> loops = new ArrayList<>();
    private final List<Consumer<QberSample>> sampleListeners = new ArrayList<>();
    /** Maps the receiver's clock to link time before framing; null to frame the tags as they come. */
    SlotClock slotClock;

    SimulatedReceiver(String linkParams, int blockDetections) {
        SimDriverProvider sim = new SimDriverProvider(nowNs::get);
        tagger = sim.open(DeviceUri.parse("sim:bob?" + linkParams), TimeTagger.class);
        controller = sim.open(DeviceUri.parse("sim:polarisation?" + linkParams), PolarisationController.class);
        source = sim.open(DeviceUri.parse("sim:alice?" + linkParams), PhotonSource.class);
        framer = new BlockFramer(
                source.settings().slotPeriodPs(), blockDetections, 0, new SplittableRandom(1), this::finished);
        tagger.start();
    }

    void addLoop(ReceiverLoop loop) {
        loops.add(loop);
    }

    void onSample(Consumer<QberSample> listener) {
        sampleListeners.add(listener);
    }

    /** Advances link time by {@code stepNs} at a time until {@code seconds} have passed, running the loops. */
    void run(double seconds, long stepNs) {
        long end = nowNs.get() + (long) (seconds * 1e9);
        while (nowNs.get() < end) {
            nowNs.addAndGet(stepNs);
            int n;
            do {
                n = tagger.read(batch);
                long complete = batch.completeUpToPs();
                if (slotClock != null) {
                    slotClock.track(batch.timestampsPs(), n);
                    slotClock.toLinkTime(batch.timestampsPs(), n);
                    complete = slotClock.linkTimePs(complete);
                }
                framer.add(batch.timestampsPs(), batch.channels(), n);
                framer.completeUpTo(complete);
            } while (n == batch.capacity());
            for (ReceiverLoop loop : loops) {
                loop.doWork(framer.nextBlockId());
            }
        }
    }

    /** The raw tags of the next {@code seconds} of link time, not framed. */
    long[] readRaw(double seconds) {
        nowNs.addAndGet((long) (seconds * 1e9));
        TagBatch raw = new TagBatch(1 << 20);
        int n = tagger.read(raw);
        return java.util.Arrays.copyOf(raw.timestampsPs(), n);
    }

    /** Skips {@code seconds} of link time: its tags are read and dropped. */
    void skip(double seconds) {
        readRaw(seconds);
    }

    private void finished(DetectionBlock block) {
        int n = block.slots().length;
        byte[] intensity = new byte[n];
        byte[] basis = new byte[n];
        byte[] bit = new byte[n];
        source.statesFor(block.slots(), n, intensity, basis, bit);
        int[] bits = new int[2];
        int[] errors = new int[2];
        int signalZ = 0;
        int signalZErrors = 0;
        for (int i = 0; i < n; i++) {
            if (basis[i] != block.bases()[i]) {
                continue;
            }
            int b = basis[i];
            boolean error = bit[i] != block.bits()[i];
            bits[b]++;
            errors[b] += error ? 1 : 0;
            if (b == 0 && intensity[i] == 0) {
                signalZ++;
                signalZErrors += error ? 1 : 0;
            }
        }
        QberSample sample = new QberSample(block.blockId(), bits[0], errors[0], bits[1], errors[1]);
        blocks.add(new Block(sample, (double) signalZErrors / signalZ));
        sampleListeners.forEach(l -> l.accept(sample));
    }

    /** Mean signal Z QBER of the blocks from {@code first} on. */
    double meanQber(int first) {
        return blocks.subList(first, blocks.size()).stream()
                .mapToDouble(Block::signalZQber)
                .average()
                .orElseThrow();
    }

    /** The highest mean signal Z QBER of consecutive windows of {@code window} blocks from {@code first} on. */
    double worstWindowQber(int first, int window) {
        double worst = 0;
        for (int i = first; i + window <= blocks.size(); i += window) {
            double m = blocks.subList(i, i + window).stream()
                    .mapToDouble(Block::signalZQber)
                    .average()
                    .orElseThrow();
            worst = Math.max(worst, m);
        }
        return worst;
    }

    @Override
    public void close() {
        tagger.close();
        controller.close();
        source.close();
    }
}
