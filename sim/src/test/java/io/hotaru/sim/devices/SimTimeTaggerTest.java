package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.TagBatch;
import io.hotaru.sim.physics.DetectionStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SimTimeTaggerTest {

    private static final String URI = "sim:bob?link=ab&seed=42&params=demo&distance_km=25";

    private final AtomicLong nowNs = new AtomicLong(5_000_000_000L);

    private SimTimeTagger tagger(String uri) {
        return new SimTimeTagger(SimLinkConfig.parse(uri), nowNs::get);
    }

    @Test
    void deliversNothingBeforeStart() {
        SimTimeTagger bob = tagger(URI);
        nowNs.addAndGet(1_000_000);
        TagBatch batch = new TagBatch(1000);
        assertThat(bob.read(batch)).isZero();
        assertThat(batch.completeUpToPs()).isZero();
    }

    @Test
    void deliversTheDetectionsUpToTheCurrentLinkTime() {
        SimTimeTagger bob = tagger(URI);
        bob.start();
        nowNs.addAndGet(1_000_000); // 1 ms = 10^5 slots at 100 MHz
        TagBatch batch = new TagBatch(10_000);
        int n = bob.read(batch);

        SimLinkConfig c = SimLinkConfig.parse(URI);
        long[] slots = new long[10_000];
        byte[] channels = new byte[10_000];
        int expected = new DetectionStream(c.parameters(), c.linkKey()).next(100_000, slots, channels, 0, 10_000);
        assertThat(n).isEqualTo(expected).isBetween(400, 700); // ≈ 549 per ms
        for (int i = 0; i < n; i++) {
            assertThat(batch.timestampsPs()[i]).isEqualTo(slots[i] * 10_000);
            assertThat(batch.channels()[i]).isEqualTo(channels[i]).isBetween((byte) 0, (byte) 3);
        }
        assertThat(batch.completeUpToPs()).isEqualTo(1_000_000_000L);
        assertThat(batch.dataLost()).isFalse();
        assertThat(bob.read(batch)).isZero();
        assertThat(batch.completeUpToPs()).isEqualTo(1_000_000_000L);
    }

    @Test
    void aFullBatchLeavesTheRestForTheNextReadWithoutLosingAny() {
        SimTimeTagger whole = tagger(URI);
        SimTimeTagger capped = tagger(URI);
        whole.start();
        capped.start();
        nowNs.addAndGet(20_000_000); // ≈ 11,000 detections
        TagBatch big = new TagBatch(100_000);
        int n = whole.read(big);

        TagBatch small = new TagBatch(777);
        long[] got = new long[n];
        byte[] gotChannels = new byte[n];
        int total = 0;
        long lastComplete = 0;
        int m;
        while ((m = capped.read(small)) > 0) {
            assertThat(small.timestampsPs()[0]).isGreaterThanOrEqualTo(lastComplete);
            assertThat(small.completeUpToPs()).isGreaterThan(small.timestampsPs()[m - 1]);
            lastComplete = small.completeUpToPs();
            System.arraycopy(small.timestampsPs(), 0, got, total, m);
            System.arraycopy(small.channels(), 0, gotChannels, total, m);
            total += m;
        }
        assertThat(total).isEqualTo(n);
        assertThat(got).isEqualTo(Arrays.copyOf(big.timestampsPs(), n));
        assertThat(gotChannels).isEqualTo(Arrays.copyOf(big.channels(), n));
        assertThat(small.completeUpToPs()).isEqualTo(big.completeUpToPs()).isEqualTo(20_000_000_000L);
    }

    @Test
    void stopPausesLinkTimeAndStartResumesIt() {
        SimTimeTagger bob = tagger(URI);
        TagBatch batch = new TagBatch(10_000);
        bob.start();
        nowNs.addAndGet(1_000_000);
        bob.stop();
        nowNs.addAndGet(50_000_000);
        bob.read(batch);
        assertThat(batch.completeUpToPs()).isEqualTo(1_000_000_000L);
        bob.start();
        bob.start();
        nowNs.addAndGet(2_000_000);
        bob.read(batch);
        assertThat(batch.completeUpToPs()).isEqualTo(3_000_000_000L);
        assertThat(batch.timestampsPs()[0]).isGreaterThanOrEqualTo(1_000_000_000L);
    }

    @Test
    void timeScaleSpeedsUpLinkTime() {
        SimTimeTagger bob = tagger(URI + "&time_scale=10");
        bob.start();
        nowNs.addAndGet(1_000_000);
        TagBatch batch = new TagBatch(100_000);
        bob.read(batch);
        assertThat(batch.completeUpToPs()).isEqualTo(10_000_000_000L);
    }

    /** Picosecond timestamps in a long reach 106 days; the slot arithmetic must get there. */
    @Test
    void slotArithmeticDoesNotOverflowWithinTheTimestampRange() {
        long hundredDaysNs = 100L * 24 * 3600 * 1_000_000_000L;
        assertThat(SimTimeTagger.slotAt(hundredDaysNs, 1000, 1.0)).isEqualTo(hundredDaysNs);
        assertThat(SimTimeTagger.slotAt(hundredDaysNs, 400, 1.0)).isEqualTo(hundredDaysNs / 2 * 5);
        assertThat(SimTimeTagger.slotAt(hundredDaysNs + 1, 10_000, 1.0)).isEqualTo(hundredDaysNs / 10);
        assertThat(SimTimeTagger.slotAt(12_345, 10_000, 1.0)).isEqualTo(1234);
        assertThat(SimTimeTagger.slotAt(1_000_000, 10_000, 2.5)).isEqualTo(250_000);
    }
}
