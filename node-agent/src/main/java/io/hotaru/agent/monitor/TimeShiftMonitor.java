package io.hotaru.agent.monitor;

import java.util.Arrays;
import java.util.Locale;

/**
 * Time-shift attacks: the detectors' mean arrival times within their slots, learnt over the first
 * blocks, drift apart. A common shift of every detector (a fibre warming up, a clock offset) is not
 * an attack and is tracked; a shift of one detector relative to the others is.
 */
public final class TimeShiftMonitor implements AttackMonitor {

    private final int calibrationBlocks;
    private final double maxRelativeShiftPs;
    private double[] baseline;
    private int calibrated;

    /**
     * A monitor of a matched receiver, whose detectors' mean arrival times are equal when nobody
     * interferes: no calibration, so an attack running from the first block is seen too.
     */
    public static TimeShiftMonitor matched(double maxRelativeShiftPs) {
        TimeShiftMonitor m = new TimeShiftMonitor(1, maxRelativeShiftPs);
        m.calibrated = 1;
        return m;
    }

    public TimeShiftMonitor(int calibrationBlocks, double maxRelativeShiftPs) {
        if (calibrationBlocks < 1) {
            throw new IllegalArgumentException("calibration needs >= 1 block");
        }
        if (!(maxRelativeShiftPs > 0)) {
            throw new IllegalArgumentException("shift threshold must be > 0 ps");
        }
        this.calibrationBlocks = calibrationBlocks;
        this.maxRelativeShiftPs = maxRelativeShiftPs;
    }

    @Override
    public String kind() {
        return "time-shift";
    }

    @Override
    public Verdict observe(BlockObservation block) {
        double[] offsets = block.arrivalOffsetPs();
        if (offsets.length < 2 || Arrays.stream(offsets).anyMatch(Double::isNaN)) {
            return Verdict.clean("unmonitored: no per-detector arrival times");
        }
        double[] relative = relative(offsets);
        if (calibrated < calibrationBlocks) {
            if (baseline == null) {
                baseline = new double[relative.length];
            }
            for (int i = 0; i < relative.length; i++) {
                baseline[i] += (relative[i] - baseline[i]) / (calibrated + 1);
            }
            calibrated++;
            return Verdict.clean("calibrating arrival times (" + calibrated + "/" + calibrationBlocks + ")");
        }
        int worst = 0;
        double worstShift = 0;
        for (int i = 0; i < relative.length; i++) {
            double shift = Math.abs(relative[i] - (baseline == null ? 0 : baseline[i]));
            if (shift > worstShift) {
                worstShift = shift;
                worst = i;
            }
        }
        String detail = String.format(
                Locale.ROOT,
                "detector %d arrival shifted %.1f ps relative to the others (max %.1f ps)",
                worst,
                worstShift,
                maxRelativeShiftPs);
        return worstShift > maxRelativeShiftPs ? Verdict.alarm(detail) : Verdict.clean(detail);
    }

    private static double[] relative(double[] offsets) {
        double mean = Arrays.stream(offsets).average().orElse(0);
        double[] r = new double[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            r[i] = offsets[i] - mean;
        }
        return r;
    }
}
