package io.hotaru.agent.monitor;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * Detector blinding: averaged over the last N blocks, the count rate is above an upper threshold
 * while the fraction of the receiver's own self-test pulses that its detectors register is below a
 * lower one (a blinded detector misses faint light). A plain rise in count rate with self-test
 * pulses still seen raises nothing.
 */
public final class BlindingMonitor implements AttackMonitor {

    private final int window;
    private final double maxCountRate;
    private final double minSelfTestSeenFraction;
    private final Deque<double[]> recent = new ArrayDeque<>();

    /**
     * @param window blocks averaged
     * @param maxCountRate detections per second above which blinding is suspected
     * @param minSelfTestSeenFraction seen fraction of self-test pulses below which the detectors
     *     are considered blind
     */
    public BlindingMonitor(int window, double maxCountRate, double minSelfTestSeenFraction) {
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 block");
        }
        if (!(maxCountRate > 0)) {
            throw new IllegalArgumentException("count-rate threshold must be > 0");
        }
        if (!(minSelfTestSeenFraction > 0 && minSelfTestSeenFraction <= 1)) {
            throw new IllegalArgumentException("self-test fraction threshold must be in (0, 1]");
        }
        this.window = window;
        this.maxCountRate = maxCountRate;
        this.minSelfTestSeenFraction = minSelfTestSeenFraction;
    }

    @Override
    public String kind() {
        return "blinding";
    }

    @Override
    public Verdict observe(BlockObservation block) {
        recent.addLast(
                new double[] {block.detections(), block.linkSeconds(), block.selfTestSent(), block.selfTestSeen()});
        while (recent.size() > window) {
            recent.removeFirst();
        }
        double detections = 0;
        double seconds = 0;
        double sent = 0;
        double seen = 0;
        for (double[] r : recent) {
            detections += r[0];
            seconds += r[1];
            sent += r[2];
            seen += r[3];
        }
        double rate = seconds > 0 ? detections / seconds : 0;
        if (sent == 0) {
            return Verdict.clean(
                    String.format(Locale.ROOT, "count rate %.0f/s; no self-test pulses (blinding unmonitored)", rate));
        }
        double seenFraction = seen / sent;
        String detail = String.format(
                Locale.ROOT,
                "count rate %.0f/s (max %.0f), self-test pulses seen %.1f%% (min %.1f%%) over %d block(s)",
                rate,
                maxCountRate,
                100 * seenFraction,
                100 * minSelfTestSeenFraction,
                recent.size());
        return rate > maxCountRate && seenFraction < minSelfTestSeenFraction
                ? Verdict.alarm(detail)
                : Verdict.clean(detail);
    }
}
