package io.hotaru.agent.monitor;

import java.util.Locale;

/** Error rate above the threshold (at most 11 % for one-way BB84): intercept-resend and the like. */
public final class QberMonitor implements AttackMonitor {

    private final double threshold;

    public QberMonitor(double threshold) {
        if (!(threshold > 0 && threshold <= 0.11)) {
            throw new IllegalArgumentException("QBER threshold must be in (0, 0.11], got " + threshold);
        }
        this.threshold = threshold;
    }

    @Override
    public String kind() {
        return "qber";
    }

    @Override
    public Verdict observe(BlockObservation block) {
        double q = block.qber();
        String detail = String.format(Locale.ROOT, "QBER %.2f%% (threshold %.2f%%)", 100 * q, 100 * threshold);
        return q > threshold ? Verdict.alarm(detail) : Verdict.clean(detail);
    }
}
