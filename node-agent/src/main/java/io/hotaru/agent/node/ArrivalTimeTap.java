package io.hotaru.agent.node;

import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import java.util.Arrays;

/**
 * A time tagger seen through a tap that keeps, per detector channel, the mean arrival time of its
 * clicks relative to the nearest slot, for the time-shift monitor. {@link #drain()} returns the
 * means since the last drain: the receiver drains it once per block, so the figures cover about
 * that block (a read may straddle two blocks). With a receiver slot clock ({@link #useSlotClock}) the
 * arrival times are taken on the link's clock, so that the receiver clock's offset and drift, which
 * move every detector alike, do not smear the means.
 */
final class ArrivalTimeTap implements TimeTagger {

    private final TimeTagger tagger;
    private final double slotPeriodPs;
    private final double[] sums;
    private final long[] counts;
    private final long[] totals;
    private long readUpToSlot;
    private volatile io.hotaru.agent.link.SlotClock slotClock;

    ArrivalTimeTap(TimeTagger tagger, double slotPeriodPs) {
        this.tagger = tagger;
        this.slotPeriodPs = slotPeriodPs;
        this.sums = new double[tagger.channelCount()];
        this.counts = new long[tagger.channelCount()];
        this.totals = new long[tagger.channelCount()];
    }

    /**
     * Takes arrival times on the link's clock from now on. The clock is the receiver's, read (and
     * tracked) on the thread that reads this tagger; the means so far are dropped.
     */
    void useSlotClock(io.hotaru.agent.link.SlotClock clock) {
        slotClock = clock;
        drain();
    }

    @Override
    public int read(TagBatch batch) {
        int n = tagger.read(batch);
        long[] t = batch.timestampsPs();
        byte[] c = batch.channels();
        io.hotaru.agent.link.SlotClock clock = slotClock;
        synchronized (this) {
            if (n > 0) {
                readUpToSlot = Math.max(readUpToSlot, (long) Math.ceil(t[n - 1] / slotPeriodPs) + 1);
            }
            readUpToSlot = Math.max(readUpToSlot, (long) Math.floor(batch.completeUpToPs() / slotPeriodPs));
            for (int i = 0; i < n; i++) {
                int channel = c[i];
                if (channel >= 0 && channel < sums.length) {
                    double at = clock == null ? t[i] : clock.linkTimePs(t[i]);
                    double offset = at - Math.rint(at / slotPeriodPs) * slotPeriodPs;
                    sums[channel] += offset;
                    counts[channel]++;
                    totals[channel]++;
                }
            }
        }
        return n;
    }

    /** Mean arrival offset per channel in ps since the last drain, NaN for a channel without clicks. */
    synchronized double[] drain() {
        double[] means = new double[sums.length];
        for (int i = 0; i < means.length; i++) {
            means[i] = counts[i] > 0 ? sums[i] / counts[i] : Double.NaN;
        }
        Arrays.fill(sums, 0);
        Arrays.fill(counts, 0);
        return means;
    }

    /** A slot after every event read so far: where a receiver started again may begin its blocks. */
    synchronized long readUpToSlot() {
        return readUpToSlot;
    }

    /** Clicks per channel since start. */
    synchronized long[] totals() {
        return totals.clone();
    }

    @Override
    public int channelCount() {
        return tagger.channelCount();
    }

    @Override
    public void start() {
        tagger.start();
    }

    @Override
    public void stop() {
        tagger.stop();
    }

    @Override
    public DeviceIdentity identity() {
        return tagger.identity();
    }

    @Override
    public SelfTestResult selfTest() {
        return tagger.selfTest();
    }

    @Override
    public DeviceHealth health() {
        return tagger.health();
    }

    @Override
    public void close() {
        tagger.close();
    }
}
