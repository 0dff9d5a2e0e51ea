package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.sim.physics.AnalyticModel;
import io.hotaru.sim.physics.CounterRandom;
import io.hotaru.sim.physics.DetectionStream;
import io.hotaru.sim.physics.LinkModel;
import io.hotaru.sim.physics.PolarisationDrift;
import io.hotaru.sim.physics.PulseState;
import io.hotaru.sim.physics.StokesRotation;
import java.util.function.LongSupplier;

/**
 * Bob of a simulated link: four detector channels (0 = Z/0, 1 = Z/1, 2 = X/0, 3 = X/1) behind a
 * passive basis choice.
 *
 * <p>Link time runs while the tagger is started, at {@code time_scale} link seconds per second of
 * the injected nanosecond clock; stopping pauses it and starting again resumes it, so no slot is
 * ever used twice. Each {@link #read} generates the detections from where the last one stopped up
 * to the slot at the current link time, at most the batch's capacity; events beyond it come with
 * the next read, none is lost. A detection in slot s is stamped s × slot period in ps, plus its
 * jitter, on the link's clock; with {@code clock_offset_ps} and {@code clock_drift_ppm} Bob's clock
 * reads t·(1 + drift·10⁻⁶) + offset instead.
 *
 * <p>With {@code pol_drift}, or once the link's {@code sim:polarisation} controller has been turned,
 * the light reaching the detectors is rotated on the Poincaré sphere by the controller after the
 * fibre's drift (R = C·D(t), taken per {@link PolarisationDrift#STEP_SECONDS} of link time): a
 * detection in the basis Alice sent flips with probability (1 − R_bb)/2 on top of the parameter
 * set's misalignment error.
 */
public final class SimTimeTagger implements TimeTagger {

    /** Link seconds a self-test over a changing channel (a satellite pass) draws. */
    static final double CHANGING_SELF_TEST_SECONDS = 1.0;

    private static final long FLIP_STREAM = 0x504F_4C46L; // "POLF"
    private static final long PS_PER_DRIFT_STEP = Math.round(PolarisationDrift.STEP_SECONDS * 1e12);

    private final SimLinkConfig config;
    private final LongSupplier nanoClock;
    private final DetectionStream stream;
    private final long periodPs;
    private final DeviceIdentity identity;

    private final PolarisationPath polarisation;
    private final PolarisationDrift drift;
    private final CounterRandom flipRandom;
    private final SimLinkConfig.Impairments impairments;
    private long rotationStep = -1;
    private StokesRotation rotationController;
    private final long[] flip32 = new long[2];

    private int[] delaysPs = new int[0];
    private int[] states = new int[0];
    private long lastTimestampPs;
    private boolean running;
    private boolean closed;
    private long runningSinceNs;
    private long elapsedBeforeNs;

    /**
     * @param config the link
     * @param nanoClock a monotonic nanosecond clock, e.g. {@code System::nanoTime}
     */
    public SimTimeTagger(SimLinkConfig config, LongSupplier nanoClock) {
        this(config, nanoClock, new PolarisationPath());
    }

    SimTimeTagger(SimLinkConfig config, LongSupplier nanoClock, PolarisationPath polarisation) {
        this.config = config;
        this.polarisation = polarisation;
        this.impairments = config.impairments();
        double speed = impairments.polarisationDriftDegPerSecond();
        this.drift = speed > 0 ? new PolarisationDrift(config.linkKey(), speed) : null;
        this.flipRandom = CounterRandom.of(config.linkKey(), FLIP_STREAM);
        this.nanoClock = nanoClock;
        this.stream = new DetectionStream(config.model(), config.linkKey());
        this.periodPs = config.slotPeriodPs();
        this.identity = new DeviceIdentity(
                "Hotaru",
                "simulated BB84 receiver",
                "sim-bob-" + config.link(),
                config.uri(),
                DeviceIdentity.Kind.SIMULATED);
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    public SimLinkConfig config() {
        return config;
    }

    @Override
    public int channelCount() {
        return 4;
    }

    @Override
    public synchronized void start() {
        ensureOpen();
        if (!running) {
            runningSinceNs = nanoClock.getAsLong();
            running = true;
        }
    }

    @Override
    public synchronized void stop() {
        ensureOpen();
        if (running) {
            elapsedBeforeNs += Math.max(0, nanoClock.getAsLong() - runningSinceNs);
            running = false;
        }
    }

    @Override
    public synchronized int read(TagBatch batch) {
        ensureOpen();
        long endSlot = Math.max(stream.position(), slotAtLinkTime());
        long[] timestamps = batch.timestampsPs();
        if (delaysPs.length < batch.capacity()) {
            delaysPs = new int[batch.capacity()];
        }
        boolean rotated = drift != null || polarisation.controller() != StokesRotation.IDENTITY;
        if (rotated && states.length < batch.capacity()) {
            states = new int[batch.capacity()];
        }
        byte[] channels = batch.channels();
        int n = stream.next(endSlot, timestamps, channels, rotated ? states : null, delaysPs, 0, batch.capacity());
        if (rotated) {
            rotate(timestamps, channels, n);
        }
        boolean skewed = impairments.clockSkewed();
        for (int i = 0; i < n; i++) {
            // Jitter and time shifts move a click off its slot's time; the batch stays in time order.
            long t = timestamps[i] * periodPs + delaysPs[i];
            t = Math.max(0, skewed ? bobClock(t) : t);
            timestamps[i] = Math.max(t, lastTimestampPs);
            lastTimestampPs = timestamps[i];
        }
        long complete = stream.position() * periodPs;
        batch.fill(n, false, Math.max(0, skewed ? bobClock(complete) : complete));
        return n;
    }

    /** Link time {@code ps} as Bob's clock reads it. */
    private long bobClock(long ps) {
        return ps + Math.round(ps * (impairments.clockDriftPpm() * 1e-6)) + impairments.clockOffsetPs();
    }

    /** Flips the detections (still slot numbers here) whose basis matches Alice's, as R = C·D(t) says. */
    private void rotate(long[] slots, byte[] channels, int n) {
        StokesRotation controller = polarisation.controller();
        for (int i = 0; i < n; i++) {
            long slot = slots[i];
            int bobBasis = channels[i] >> 1;
            if (PulseState.basis(states[i]) != bobBasis) {
                continue; // a random bit already, and sifted away
            }
            long step = slot * periodPs / PS_PER_DRIFT_STEP;
            if (step != rotationStep || controller != rotationController) {
                StokesRotation channel = drift == null ? StokesRotation.IDENTITY : drift.rotationAt(step);
                StokesRotation r = controller.after(channel);
                flip32[0] = Math.round(r.errorProbability(0) * 0x1.0p32);
                flip32[1] = Math.round(r.errorProbability(1) * 0x1.0p32);
                rotationStep = step;
                rotationController = controller;
            }
            if ((flipRandom.at(slot) >>> 32) < flip32[bobBasis]) {
                channels[i] ^= 1;
            }
        }
    }

    /** The slot at the current link time. */
    private long slotAtLinkTime() {
        long ns = elapsedBeforeNs + (running ? Math.max(0, nanoClock.getAsLong() - runningSinceNs) : 0);
        return slotAt(ns, periodPs, config.timeScale());
    }

    /** floor(running ns · 1000 · scale / period), exact and without overflow when unscaled. */
    static long slotAt(long runningNs, long periodPs, double timeScale) {
        if (timeScale != 1.0) {
            return (long) (runningNs * (1000.0 * timeScale / periodPs));
        }
        return runningNs / periodPs * 1000 + runningNs % periodPs * 1000 / periodPs;
    }

    /**
     * Compares the clicks of the first 10^8 slots, drawn afresh, with the analytic model (within 5
     * standard deviations).
     */
    @Override
    public SelfTestResult selfTest() {
        if (isClosed()) {
            return SelfTestResult.fail("closed");
        }
        if (!config.model().channel().isConstant()) {
            return selfTestOverChangingChannel();
        }
        AnalyticModel model = AnalyticModel.of(config.parameters());
        long slots = 100_000_000L;
        DetectionStream fresh = new DetectionStream(config.parameters(), config.linkKey());
        long[] slotBuf = new long[4096];
        byte[] channelBuf = new byte[4096];
        long clicks = 0;
        while (fresh.position() < slots) {
            clicks += fresh.next(slots, slotBuf, channelBuf, 0, slotBuf.length);
        }
        double p = model.detectionsPerSlot();
        double expected = slots * p;
        double sigma = Math.sqrt(slots * p * (1 - p));
        String figures = String.format(
                "simulated receiver of link '%s' (%s, %.1f km, η = %.3g): %d clicks in 1e8 slots, expected %.0f ± %.0f;"
                        + " %.3g clicks/s, signal QBER %.2f %%",
                config.link(),
                config.parameterSet(),
                config.parameters().lengthKm(),
                model.transmittance(),
                clicks,
                expected,
                sigma,
                model.detectionsPerSecond(),
                100 * model.qber(0));
        return Math.abs(clicks - expected) <= 5 * sigma + 1
                ? SelfTestResult.pass(figures)
                : SelfTestResult.fail(figures);
    }

    /**
     * The self-test of a link whose channel changes with link time (a satellite pass): the clicks of
     * the first {@link #CHANGING_SELF_TEST_SECONDS} of link time, drawn afresh over the channel with
     * ideal detectors, against the analytic expectation integrated over that time (within 5 standard
     * deviations).
     */
    private SelfTestResult selfTestOverChangingChannel() {
        LinkModel model =
                LinkModel.of(config.parameters()).withChannel(config.model().channel());
        double rate = config.parameters().repetitionRateHz();
        long slots = Math.round(CHANGING_SELF_TEST_SECONDS * rate);
        DetectionStream fresh = new DetectionStream(model, config.linkKey());
        long[] slotBuf = new long[4096];
        byte[] channelBuf = new byte[4096];
        long clicks = 0;
        while (fresh.position() < slots) {
            clicks += fresh.next(slots, slotBuf, channelBuf, 0, slotBuf.length);
        }
        int steps = 1000;
        double expected = 0;
        double variance = 0;
        for (int i = 0; i < steps; i++) {
            double p = model.analyticAt((i + 0.5) * CHANGING_SELF_TEST_SECONDS / steps)
                    .detectionsPerSlot();
            expected += p * slots / steps;
            variance += p * (1 - p) * slots / steps;
        }
        double sigma = Math.sqrt(variance);
        String figures = String.format(
                "simulated receiver of link '%s' (%s over a changing channel): %d clicks in the first %.1f s,"
                        + " expected %.0f ± %.0f",
                config.link(), config.parameterSet(), clicks, CHANGING_SELF_TEST_SECONDS, expected, sigma);
        return Math.abs(clicks - expected) <= 5 * sigma + 1
                ? SelfTestResult.pass(figures)
                : SelfTestResult.fail(figures);
    }

    @Override
    public synchronized DeviceHealth health() {
        return closed
                ? DeviceHealth.failed("closed")
                : DeviceHealth.ok("simulated receiver of link '" + config.link() + "', no data lost");
    }

    @Override
    public synchronized void close() {
        closed = true;
        running = false;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void ensureOpen() {
        if (closed) {
            throw new DeviceException(DeviceException.Code.CLOSED, "device '" + config.uri() + "' is closed");
        }
    }
}
