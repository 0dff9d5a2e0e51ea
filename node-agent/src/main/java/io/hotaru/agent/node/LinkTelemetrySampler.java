package io.hotaru.agent.node;

import io.hotaru.agent.link.LinkStats;
import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a link end's running figures into one {@link LinkTelemetry} per telemetry period: rates
 * are the change since the previous sample over the time between them. The sync offset and drift
 * are unknown (NaN) where no time-offset acquisition runs, the polarisation figures empty where no
 * polarisation loop runs, the receiver's idle share unknown at a transmitter.
 */
public final class LinkTelemetrySampler {

    private static final String[] INTENSITIES = {"signal", "decoy", "vacuum"};
    private static final String[] DETECTORS = {"z0", "z1", "x0", "x1"};

    private final String linkId;
    private Instant lastAt;
    private long lastSifted;
    private long lastSecret;
    private long lastIdleNanos = -1;

    public LinkTelemetrySampler(String linkId) {
        this.linkId = linkId;
    }

    /** What one sample reads from the link. Any figure may be missing (null stats, null report). */
    public record Figures(
            LinkState state,
            LinkStats stats,
            BlockReport lastReport,
            long[] detectorTotals,
            long dataLost,
            long keyPoolBits,
            long authPoolBits,
            double syncOffsetNanos,
            double driftPpm,
            Map<String, Double> polarisation,
            long receiverIdleNanos) {

        /**
         * Figures of a link end without time sync or polarisation loop, and of a transmitter
         * ({@code receiverIdleNanos} -1).
         */
        public Figures(
                LinkState state,
                LinkStats stats,
                BlockReport lastReport,
                long[] detectorTotals,
                long dataLost,
                long keyPoolBits,
                long authPoolBits) {
            this(
                    state,
                    stats,
                    lastReport,
                    detectorTotals,
                    dataLost,
                    keyPoolBits,
                    authPoolBits,
                    Double.NaN,
                    Double.NaN,
                    Map.of(),
                    -1);
        }
    }

    public synchronized LinkTelemetry sample(Instant now, Figures f) {
        long sifted = f.stats() == null ? 0 : f.stats().siftedBits();
        long secret = f.stats() == null ? 0 : f.stats().secretBits();
        double seconds =
                lastAt == null ? Double.NaN : Duration.between(lastAt, now).toNanos() * 1e-9;
        double siftedRate = seconds > 0 ? (sifted - lastSifted) / seconds : Double.NaN;
        double secretRate = seconds > 0 ? (secret - lastSecret) / seconds : Double.NaN;
        long idle = f.receiverIdleNanos();
        // Unknown at a transmitter, for the first period, and if the counter restarted (a new receiver).
        double idleShare = seconds > 0 && idle >= 0 && lastIdleNanos >= 0 && idle >= lastIdleNanos
                ? Math.min(1.0, (idle - lastIdleNanos) * 1e-9 / seconds)
                : Double.NaN;
        lastAt = now;
        lastSifted = sifted;
        lastSecret = secret;
        lastIdleNanos = idle;

        Map<String, Double> qber = new LinkedHashMap<>();
        Map<String, Double> gain = new LinkedHashMap<>();
        BlockReport r = f.lastReport();
        if (r != null) {
            List<IntensityCounts> counts = r.intensities();
            for (int k = 0; k < counts.size() && k < INTENSITIES.length; k++) {
                qber.put(INTENSITIES[k], counts.get(k).errorRate());
                gain.put(INTENSITIES[k], counts.get(k).gain());
            }
        }
        Map<String, Long> detectors = new LinkedHashMap<>();
        long[] totals = f.detectorTotals();
        for (int c = 0; totals != null && c < totals.length && c < DETECTORS.length; c++) {
            detectors.put(DETECTORS[c], totals[c]);
        }
        return new LinkTelemetry(
                linkId,
                f.state(),
                now,
                f.stats() == null ? -1 : f.stats().blocks() - 1,
                r == null ? Double.NaN : r.qberEstimate(),
                qber,
                gain,
                siftedRate,
                secretRate,
                detectors,
                f.dataLost(),
                f.keyPoolBits(),
                f.authPoolBits(),
                f.syncOffsetNanos(),
                f.driftPpm(),
                f.polarisation(),
                idleShare);
    }
}
