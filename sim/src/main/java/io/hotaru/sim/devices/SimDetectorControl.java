package io.hotaru.sim.devices;

import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.DetectorSettings;
import io.hotaru.drivers.DetectorStatus;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.SelfTestPulses;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.sim.physics.Attack;
import io.hotaru.sim.physics.CounterRandom;
import io.hotaru.sim.physics.LinkModel;

/**
 * The detectors of a simulated receiver ({@code sim:detectors?link=...}): settings, count rates and
 * photocurrents from the link's model, and self-test pulses. Under {@code eve=blinding} the
 * photocurrent rises to that of an avalanche photodiode held in linear mode and the self-test
 * pulses go unseen; the count rates stay what Eve makes them.
 *
 * <p>The settings are reported back as applied but do not feed into the link's detections, which
 * both ends derive from the URI alone.
 */
public final class SimDetectorControl extends SimDevice implements DetectorControl {

    /** Mean photon number of a self-test pulse at the detector. */
    static final double SELF_TEST_PHOTONS = 50;

    static final double DARK_PHOTOCURRENT_UA = 0.05;
    static final double BLINDED_PHOTOCURRENT_UA = 30;
    private static final long SELF_TEST_STREAM = 0x5345_4C46L; // "SELF"

    private final boolean blinded;
    private final CounterRandom random;
    private DetectorSettings settings;
    private long fired;

    public SimDetectorControl(SimLinkConfig config) {
        super(config, "simulated single-photon detectors", "sim-detectors");
        this.blinded = config.attack() instanceof Attack.DetectorBlinding;
        this.random = CounterRandom.of(config.linkKey(), SELF_TEST_STREAM);
        double gate = Math.min(1.0, config.parameters().slotPeriodPs() / 2000);
        this.settings = new DetectorSettings(
                config.parameters().detectorEfficiency(),
                gate,
                config.detectors().deadTimeNs(),
                50);
    }

    @Override
    public int channelCount() {
        return 4;
    }

    @Override
    public synchronized DetectorSettings settings() {
        ensureOpen();
        return settings;
    }

    @Override
    public synchronized void apply(DetectorSettings s) {
        ensureOpen();
        settings = s;
    }

    @Override
    public synchronized DetectorStatus status() {
        ensureOpen();
        LinkModel model = config.model();
        double[] click = model.clickProbabilitiesAt(0);
        double perSlot = 0;
        for (int k = 0; k < click.length; k++) {
            perSlot += config.parameters().intensityProbability(k) * click[k];
        }
        double perChannel = perSlot * config.parameters().repetitionRateHz() / 4;
        double current = blinded ? BLINDED_PHOTOCURRENT_UA : DARK_PHOTOCURRENT_UA;
        return new DetectorStatus(
                new double[] {perChannel, perChannel, perChannel, perChannel},
                new double[] {current, current, current, current},
                blinded ? 223.5 : 223.0);
    }

    /** Detected share of self-test pulses expected of healthy detectors: 1 − e^(−μ_test·η). */
    public double expectedSelfTestFraction() {
        return -Math.expm1(-SELF_TEST_PHOTONS * settings.efficiency());
    }

    @Override
    public synchronized SelfTestPulses fireSelfTestPulses(int pulses) {
        ensureOpen();
        if (pulses < 0) {
            throw new IllegalArgumentException("pulses must be >= 0, got " + pulses);
        }
        double p = expectedSelfTestFraction();
        long threshold = Math.round(p * 0x1.0p53);
        int[] detected = new int[4];
        for (int c = 0; c < 4; c++) {
            if (blinded) {
                continue; // a detector in linear mode does not click on a faint pulse
            }
            for (int i = 0; i < pulses; i++) {
                if ((random.at(fired + i) >>> 11) < threshold) {
                    detected[c]++;
                }
            }
            fired += pulses;
        }
        return new SelfTestPulses(pulses, detected, p);
    }

    @Override
    DeviceHealth healthWhileOpen() {
        if (blinded) {
            return new DeviceHealth(
                    DeviceHealth.State.DEGRADED,
                    "photocurrent " + BLINDED_PHOTOCURRENT_UA + " µA on every channel (dark level "
                            + DARK_PHOTOCURRENT_UA + " µA)");
        }
        return DeviceHealth.ok("simulated detectors at " + DARK_PHOTOCURRENT_UA + " µA dark photocurrent");
    }

    @Override
    SelfTestResult selfTestWhileOpen() {
        SelfTestPulses p = fireSelfTestPulses(1000);
        StringBuilder s = new StringBuilder("self-test pulses detected per channel:");
        boolean pass = true;
        for (int c = 0; c < 4; c++) {
            s.append(String.format(" %.3f", p.fraction(c)));
            pass &= p.fraction(c) > p.expectedFraction() / 2;
        }
        s.append(String.format(" (expected %.3f)", p.expectedFraction()));
        return pass ? SelfTestResult.pass(s.toString()) : SelfTestResult.fail(s.toString());
    }
}
