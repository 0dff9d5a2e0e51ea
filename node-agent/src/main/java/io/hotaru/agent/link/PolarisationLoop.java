package io.hotaru.agent.link;

import io.hotaru.drivers.PolarisationController;
import io.hotaru.keys.distill.BlockReport;
import java.util.ArrayDeque;
import java.util.SplittableRandom;
import java.util.function.LongSupplier;

/**
 * Keeps the link's QBER at its floor by turning the receiver's polarisation controller, driven by
 * the error counts of each block ({@link QberSample}) through a {@link PolarisationSearch}.
 *
 * <p>A block is a valid measurement of a setting only if all its detections came after the
 * controller settled on it: after a move made while block B was being framed, and the settling time
 * after that, blocks up to the one then in progress are counted as stale and ignored. A controller
 * error is counted and the same angles are tried again on the next duty cycle; the loop never
 * throws. Runs on the receiver's thread; the counters may be read from any thread.
 */
public final class PolarisationLoop implements ReceiverLoop {

    private final PolarisationController controller;
    private final PolarisationSearch.Settings settings;
    private final SplittableRandom random;
    private final LongSupplier nanoClock;
    private final long settleNanos;
    private final ArrayDeque<QberSample> samples = new ArrayDeque<>();

    private PolarisationSearch search;
    private double[] pending;
    private boolean settling;
    private long movedAtNs;
    private long staleUpTo = -1;

    private volatile long moves;
    private volatile long usedSamples;
    private volatile long staleSamples;
    private volatile long errors;
    private volatile String lastError = "";
    private volatile double lastErrorRate = Double.NaN;

    /**
     * @param seed seed of the dither signs
     * @param nanoClock monotonic clock, e.g. {@code System::nanoTime}
     * @param settleNanos how long the controller takes to reach new angles
     */
    public PolarisationLoop(
            PolarisationController controller,
            PolarisationSearch.Settings settings,
            long seed,
            LongSupplier nanoClock,
            long settleNanos) {
        if (settleNanos < 0) {
            throw new IllegalArgumentException("settle time must be >= 0 ns, got " + settleNanos);
        }
        this.controller = controller;
        this.settings = settings;
        this.random = new SplittableRandom(seed);
        this.nanoClock = nanoClock;
        this.settleNanos = settleNanos;
    }

    @Override
    public String name() {
        return "polarisation";
    }

    @Override
    public void blockFinished(BlockReport report) {
        sampleFinished(QberSample.of(report));
    }

    /** The error counts of a block this end has just finished. */
    public void sampleFinished(QberSample sample) {
        samples.add(sample);
        if (samples.size() > 64) {
            samples.poll(); // the loop fell behind: old blocks are stale anyway
            staleSamples++;
        }
    }

    @Override
    public int doWork(long blockInProgress) {
        try {
            return work(blockInProgress);
        } catch (RuntimeException e) {
            errors++;
            lastError = e.toString();
            return 1;
        }
    }

    private int work(long blockInProgress) {
        int work = 0;
        if (search == null) {
            search = new PolarisationSearch(controller.anglesDeg(), settings, random);
            pending = search.probe();
        }
        QberSample s;
        while (pending == null && (s = samples.poll()) != null) {
            work++;
            double rate = s.balancedErrorRate();
            if (settling || s.blockId() <= staleUpTo || Double.isNaN(rate)) {
                staleSamples++;
                continue;
            }
            usedSamples++;
            lastErrorRate = rate;
            search.measured(rate);
            pending = search.probe();
        }
        if (pending != null) {
            controller.setAnglesDeg(pending); // on failure, tried again on the next duty cycle
            pending = null;
            moves++;
            work++;
            movedAtNs = nanoClock.getAsLong();
            settling = true;
        }
        if (settling && nanoClock.getAsLong() - movedAtNs >= settleNanos) {
            staleUpTo = blockInProgress;
            settling = false;
        }
        return work;
    }

    /** Controller moves made. */
    public long moves() {
        return moves;
    }

    /** Blocks whose error rate steered the search. */
    public long usedSamples() {
        return usedSamples;
    }

    /** Blocks ignored because the controller moved while they were framed. */
    public long staleSamples() {
        return staleSamples;
    }

    /** Errors counted (controller failures); the loop went on after each. */
    public long errors() {
        return errors;
    }

    /** The last error, empty if none. */
    public String lastError() {
        return lastError;
    }

    /** Error rate of the last block used, both bases, NaN before. */
    public double lastErrorRate() {
        return lastErrorRate;
    }
}
