package io.hotaru.sim.run;

import io.hotaru.sim.physics.AnalyticModel;
import io.hotaru.sim.physics.CounterRandom;
import io.hotaru.sim.physics.DecoyEstimate;
import io.hotaru.sim.physics.DetectionStream;
import io.hotaru.sim.physics.LinkCounts;
import io.hotaru.sim.physics.LinkModel;
import io.hotaru.sim.physics.LinkParameters;
import io.hotaru.sim.physics.PassChannel;
import java.util.function.LongSupplier;

/**
 * Runs a simulated link for a number of pulses, or over one satellite pass, and tallies what Bob
 * would measure: the engine of {@code ./hotaru simulate}. Memory is fixed (one buffer of detections
 * and a few counters per level) whatever the number of pulses; the work grows with the detections.
 * The only clock is the injected one, read twice for {@code wall_seconds}.
 */
public final class LinkSimulator {

    /** The link name mixed into the seed, so that a simulation and a {@code sim:} link differ. */
    public static final String LINK_NAME = "simulate";

    private static final int BUFFER = 1 << 14;

    private final LongSupplier nanoClock;

    public LinkSimulator(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** A simulator timed by {@link System#nanoTime()}. */
    public static LinkSimulator withSystemClock() {
        return new LinkSimulator(System::nanoTime);
    }

    /**
     * Simulates {@code pulses} slots of {@code model} from slot 0.
     *
     * @param seed the link seed; same seed and model, same result
     */
    public SimulationResult run(LinkModel model, long pulses, long seed) {
        return run(model, pulses, seed, DetectionListener.NONE);
    }

    /**
     * As {@link #run(LinkModel, long, long)}, handing every batch of detections to {@code listener}
     * as it is produced (e.g. to distil them); the time it takes counts in {@code wall_seconds}.
     */
    public SimulationResult run(LinkModel model, long pulses, long seed, DetectionListener listener) {
        if (pulses < 0) {
            throw new IllegalArgumentException("pulses must be >= 0, got " + pulses);
        }
        LinkParameters p = model.parameters();
        long started = nanoClock.getAsLong();
        DetectionStream stream = new DetectionStream(model, CounterRandom.linkKey(seed, LINK_NAME));
        LinkCounts counts = new LinkCounts(p.levelCount());
        long[] slots = new long[BUFFER];
        byte[] channels = new byte[BUFFER];
        int[] states = new int[BUFFER];
        while (stream.position() < pulses) {
            int n = stream.next(pulses, slots, channels, states, null, 0, BUFFER);
            counts.addAll(states, channels, n);
            listener.accept(slots, channels, states, n);
        }
        double wall = (nanoClock.getAsLong() - started) / 1e9;
        return result(model, pulses, counts, wall);
    }

    /** Simulates the whole pass of a model whose channel is a {@link PassChannel}. */
    public SimulationResult runPass(LinkModel model, long seed) {
        return runPass(model, seed, DetectionListener.NONE);
    }

    /** As {@link #runPass(LinkModel, long)}, handing the detections to {@code listener}. */
    public SimulationResult runPass(LinkModel model, long seed, DetectionListener listener) {
        if (!(model.channel() instanceof PassChannel pass)) {
            throw new IllegalArgumentException("runPass needs a satellite pass channel, got " + model.channel());
        }
        long pulses = (long)
                Math.floor(pass.pass().durationSeconds() * model.parameters().repetitionRateHz());
        return run(model, pulses, seed, listener);
    }

    private static SimulationResult result(LinkModel model, long pulses, LinkCounts counts, double wall) {
        LinkParameters p = model.parameters();
        int levels = p.levelCount();
        double[] gain = new double[levels];
        double[] qber = new double[levels];
        for (int k = 0; k < levels; k++) {
            double sent = pulses * p.intensityProbability(k);
            gain[k] = sent > 0 ? counts.clicks(k) / sent : Double.NaN;
            qber[k] = counts.qber(k);
        }
        double[][] expected = expected(model, pulses);
        double rate = 0;
        if (levels >= 3 && p.intensity(1) > 0 && p.intensity(1) < p.intensity(0)) {
            rate = DecoyEstimate.of(
                            p.intensity(0), p.intensity(1), gain[0], qber[0], gain[1], qber[1], gain[2], 1.22, 0.5)
                    .ratePerPulse();
        }
        return new SimulationResult(
                pulses,
                pulses / p.repetitionRateHz(),
                wall,
                counts.totalClicks(),
                counts.totalSifted(),
                PerLevel.of(gain),
                PerLevel.of(qber),
                PerLevel.of(expected[0]),
                PerLevel.of(expected[1]),
                rate,
                model.attack().spec());
    }

    /** Expected gain and QBER per level, averaged over the run's link time (constant for fibre). */
    private static double[][] expected(LinkModel model, long pulses) {
        int levels = model.parameters().levelCount();
        double[] gain = new double[levels];
        double[] qber = new double[levels];
        if (model.channel().isConstant()) {
            AnalyticModel a = model.analyticAt(0);
            for (int k = 0; k < levels; k++) {
                gain[k] = a.gain(k);
                qber[k] = a.qber(k);
            }
            return new double[][] {gain, qber};
        }
        double seconds = pulses / model.parameters().repetitionRateHz();
        int steps = 2000;
        double[] errors = new double[levels];
        for (int i = 0; i < steps; i++) {
            AnalyticModel a = model.analyticAt((i + 0.5) * seconds / steps);
            for (int k = 0; k < levels; k++) {
                gain[k] += a.gain(k) / steps;
                errors[k] += a.gain(k) * a.qber(k) / steps;
            }
        }
        for (int k = 0; k < levels; k++) {
            qber[k] = gain[k] > 0 ? errors[k] / gain[k] : Double.NaN;
        }
        return new double[][] {gain, qber};
    }
}
