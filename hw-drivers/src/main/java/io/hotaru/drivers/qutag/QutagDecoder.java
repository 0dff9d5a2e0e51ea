package io.hotaru.drivers.qutag;

/**
 * Turns the quTAG's timestamp and channel arrays into SPI events: inputs 1..4 become channels
 * 0..3, times go from timebase bins to ps. The start input and markers (100..104) are counted and
 * skipped; time going backwards is an anomaly, counted and skipped. Never throws on any input.
 */
public final class QutagDecoder {

    private final double timebasePs;
    private long lastPs = Long.MIN_VALUE;
    private long events;
    private long other;
    private long anomalies;

    /** @param timebasePs the library's timebase ({@code TDC_getTimebase}) in ps */
    public QutagDecoder(double timebasePs) {
        if (!(timebasePs > 0) || Double.isInfinite(timebasePs)) {
            throw new IllegalArgumentException("timebase must be > 0 ps, got " + timebasePs);
        }
        this.timebasePs = timebasePs;
    }

    /** Decodes {@code n} raw events; returns how many were written to the outputs. */
    public int decode(long[] rawTimes, byte[] rawChannels, int n, long[] outPs, byte[] outChannels) {
        int out = 0;
        for (int i = 0; i < n; i++) {
            int ch = rawChannels[i] & 0xFF;
            if (ch < 1 || ch > 4) {
                other++;
                continue;
            }
            double psd = rawTimes[i] * timebasePs;
            if (!(psd >= -9.2e18 && psd <= 9.2e18)) {
                anomalies++;
                continue;
            }
            long ps = Math.round(psd);
            if (ps < lastPs) {
                anomalies++;
                continue;
            }
            lastPs = ps;
            outPs[out] = ps;
            outChannels[out++] = (byte) (ch - 1);
        }
        events += out;
        return out;
    }

    public long lastPs() {
        return lastPs;
    }

    public long events() {
        return events;
    }

    /** Start-input and marker events, read but not delivered. */
    public long other() {
        return other;
    }

    public long anomalies() {
        return anomalies;
    }
}
