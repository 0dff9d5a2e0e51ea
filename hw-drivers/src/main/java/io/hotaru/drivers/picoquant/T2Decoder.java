package io.hotaru.drivers.picoquant;

/**
 * Decodes PicoQuant T2 records (HydraHarp v2, TimeHarp 260, MultiHarp): bit 31 special, bits
 * 30..25 channel, bits 24..0 time tag in units of the base resolution. Special + channel 63 is an
 * overflow whose time tag counts the overflows (0 = one, legacy); special + 0 a sync; special +
 * 1..15 a marker; a non-special record a photon on input {@code channel + 1}, delivered as SPI
 * channel {@code channel}. Never throws on any word: impossible records are counted and skipped.
 */
public final class T2Decoder {

    static final long WRAP = 1L << 25;

    private final double resolutionPs;
    private final long integralResolutionPs;
    private final int inputs;
    private final long maxUnits;
    private long overflowUnits;
    private long lastPs = Long.MIN_VALUE;
    private long photons;
    private long syncs;
    private long markers;
    private long overflows;
    private long anomalies;

    /**
     * @param resolutionPs base resolution as the library reports it (never hard-coded)
     * @param inputs number of input channels; photons on others are anomalies
     */
    public T2Decoder(double resolutionPs, int inputs) {
        if (!(resolutionPs > 0) || Double.isInfinite(resolutionPs)) {
            throw new IllegalArgumentException("resolution must be > 0 ps, got " + resolutionPs);
        }
        this.resolutionPs = resolutionPs;
        this.integralResolutionPs = resolutionPs == Math.rint(resolutionPs) ? (long) resolutionPs : 0;
        this.inputs = inputs;
        this.maxUnits = (long) (Long.MAX_VALUE / Math.max(1.0, resolutionPs)) - WRAP;
    }

    /**
     * Decodes {@code n} words into photon events; returns how many were written to {@code outPs} and
     * {@code outChannels} (which must hold at least {@code n}).
     */
    public int decode(int[] words, int n, long[] outPs, byte[] outChannels) {
        int out = 0;
        long ovf = overflowUnits;
        long last = lastPs;
        for (int i = 0; i < n; i++) {
            int w = words[i];
            int channel = (w >>> 25) & 0x3F;
            long tag = w & 0x1FFFFFF;
            if (w < 0) { // special
                if (channel == 63) {
                    long count = tag == 0 ? 1 : tag;
                    ovf += count * WRAP;
                    overflows += count;
                } else if (channel == 0) {
                    syncs++;
                } else if (channel <= 15) {
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
            long units = ovf + tag;
            if (units > maxUnits || units < 0) { // time beyond ~106 days of ps: a corrupt overflow count
                anomalies++;
                continue;
            }
            long ps = integralResolutionPs != 0 ? units * integralResolutionPs : (long) (units * resolutionPs);
            if (ps < last) {
                anomalies++;
                continue;
            }
            last = ps;
            outPs[out] = ps;
            outChannels[out++] = (byte) channel;
        }
        photons += out;
        overflowUnits = ovf;
        lastPs = last;
        return out;
    }

    /** Latest photon time decoded, in ps; {@code Long.MIN_VALUE} before the first. */
    public long lastPs() {
        return lastPs;
    }

    /** Time (ps) up to which the stream has been decoded: the last overflow or photon. */
    public long decodedUpToPs() {
        long ovfPs = integralResolutionPs != 0
                ? overflowUnits * integralResolutionPs
                : (long) (overflowUnits * resolutionPs);
        return Math.max(lastPs, ovfPs);
    }

    public long photons() {
        return photons;
    }

    public long syncs() {
        return syncs;
    }

    public long markers() {
        return markers;
    }

    public long overflows() {
        return overflows;
    }

    /** Records that cannot be right: time going backwards, unknown input or special channel. */
    public long anomalies() {
        return anomalies;
    }
}
