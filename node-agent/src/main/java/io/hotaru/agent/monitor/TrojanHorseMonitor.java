package io.hotaru.agent.monitor;

import java.util.Locale;

/**
 * Trojan-horse probing: light entering the transmitter, seen by its optical power monitor, above
 * a threshold. Without a monitor reading the link is reported as unmonitored, never as clean.
 */
public final class TrojanHorseMonitor implements AttackMonitor {

    private final double maxPowerWatts;

    public TrojanHorseMonitor(double maxPowerWatts) {
        if (!(maxPowerWatts > 0)) {
            throw new IllegalArgumentException("power threshold must be > 0 W");
        }
        this.maxPowerWatts = maxPowerWatts;
    }

    @Override
    public String kind() {
        return "trojan";
    }

    @Override
    public Verdict observe(BlockObservation block) {
        double p = block.monitorPowerWatts();
        if (Double.isNaN(p)) {
            return Verdict.clean("unmonitored: no optical power monitor reading");
        }
        String detail = String.format(Locale.ROOT, "monitor power %.3g W (max %.3g W)", p, maxPowerWatts);
        return p > maxPowerWatts ? Verdict.alarm(detail) : Verdict.clean(detail);
    }
}
