package io.hotaru.agent.monitor;

import java.util.Locale;

/**
 * Photon-number splitting and other photon-number-dependent loss: the transmittance implied by
 * the signal gain predicts the decoy gain (Q_k = Y_0 + 1 − e^(−η μ_k), Y_0 from the vacuum gain);
 * under PNS the decoy gain falls below that prediction while the signal gain looks normal. A change
 * of loss moves both together and raises nothing.
 */
public final class DecoyStatisticsMonitor implements AttackMonitor {

    private final double maxRelativeDeficit;
    private final double sigmas;

    /**
     * @param maxRelativeDeficit relative shortfall of the decoy gain that is tolerated (e.g. 0.2)
     * @param sigmas the shortfall must also exceed this many binomial standard deviations
     */
    public DecoyStatisticsMonitor(double maxRelativeDeficit, double sigmas) {
        if (!(maxRelativeDeficit > 0 && maxRelativeDeficit < 1)) {
            throw new IllegalArgumentException("relative deficit must be in (0, 1)");
        }
        if (!(sigmas > 0)) {
            throw new IllegalArgumentException("sigmas must be > 0");
        }
        this.maxRelativeDeficit = maxRelativeDeficit;
        this.sigmas = sigmas;
    }

    @Override
    public String kind() {
        return "decoy-statistics";
    }

    @Override
    public Verdict observe(BlockObservation block) {
        double[] q = block.gains();
        double[] mu = block.intensities();
        if (q.length < 3 || mu.length < 3 || !(q[0] > 0) || !(q[1] >= 0) || !(mu[1] > 0)) {
            return Verdict.clean("unmonitored: need signal, decoy and vacuum gains");
        }
        double y0 = Math.max(q[2], 0);
        double eta = -Math.log(Math.max(1e-300, 1 - (q[0] - y0))) / mu[0];
        double expected = y0 + 1 - Math.exp(-eta * mu[1]);
        double[] pulses = block.pulses();
        double decoyPulses = pulses.length > 1 ? pulses[1] : 0;
        double sd = decoyPulses > 0 ? Math.sqrt(expected * (1 - expected) / decoyPulses) : Double.POSITIVE_INFINITY;
        double deficit = expected - q[1];
        String detail = String.format(
                Locale.ROOT,
                "decoy gain %.3g, expected %.3g from the signal gain (%.1f%% short, %.1f sd)",
                q[1],
                expected,
                100 * deficit / expected,
                deficit / sd);
        return deficit > maxRelativeDeficit * expected && deficit > sigmas * sd
                ? Verdict.alarm(detail)
                : Verdict.clean(detail);
    }
}
