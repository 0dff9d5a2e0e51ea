package io.hotaru.drivers.picoquant;

/**
 * Decodes PicoQuant T3 records: bit 31 special, bits 30..25 channel, bits 24..10 {@code dtime},
 * bits 9..0 {@code nsync}. Special + channel 63 is an overflow whose {@code nsync} counts the
 * overflows (0 = one). Time = (overflows x 1024 + nsync) x sync period + dtime x resolution. Never
 * throws on any word; impossible records are counted and skipped.
 */
public final class T3Decoder {

    static final long WRAP = 1024;

    private final double syncPeriodPs;
    private final double resolutionPs;
    private final int inputs;
    private long overflowSyncs;
    private long lastPs = Long.MIN_VALUE;
    private long photons;
    private long markers;
    private long overflows;
    private long anomalies;

    public T3Decoder(double syncPeriodPs, double resolutionPs, int inputs) {
        if (!(syncPeriodPs > 0) || !(resolutionPs > 0) || Double.isInfinite(syncPeriodPs)) {
            throw new IllegalArgumentException("sync period and resolution must be > 0 ps");
        }
        this.syncPeriodPs = syncPeriodPs;
        this.resolutionPs = resolutionPs;
        this.inputs = inputs;
    }

    /** As {@link T2Decoder#decode}: returns the photon events written. */
    public int decode(int[] words, int n, long[] outPs, byte[] outChannels) {
        int out = 0;
        for (int i = 0; i < n; i++) {
            int w = words[i];
            int channel = (w >>> 25) & 0x3F;
            int dtime = (w >>> 10) & 0x7FFF;
            int nsync = w & 0x3FF;
            if (w < 0) {
                if (channel == 63) {
                    long count = nsync == 0 ? 1 : nsync;
                    overflowSyncs += count * WRAP;
                    overflows += count;
                } else if (channel >= 1 && channel <= 15) {
                    markers++;
                } else {
                    anomalies++;
                }
                continue;
            }
            if (channel >= inputs) {
                anomalies++;
                continue;
            }
            long ps = (long) ((overflowSyncs + nsync) * syncPeriodPs + dtime * resolutionPs);
            if (ps < lastPs) {
                anomalies++;
                continue;
            }
            lastPs = ps;
            outPs[out] = ps;
            outChannels[out++] = (byte) channel;
        }
        photons += out;
        return out;
    }

    public long photons() {
        return photons;
    }

    public long markers() {
        return markers;
    }

    public long overflows() {
        return overflows;
    }

    public long anomalies() {
        return anomalies;
    }
}
