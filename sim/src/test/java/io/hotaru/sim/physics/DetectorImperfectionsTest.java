package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class DetectorImperfectionsTest {

    private static final LinkParameters SHORT = LinkParameters.gys().withLengthKm(0);

    private static long[] perChannel(LinkModel m, long slots, long[] minGap) {
        DetectionStream d = new DetectionStream(m, 5);
        long[] s = new long[1 << 14];
        byte[] ch = new byte[s.length];
        long[] n = new long[4];
        long[] last = {-1 << 40, -1 << 40, -1 << 40, -1 << 40};
        if (minGap != null) {
            java.util.Arrays.fill(minGap, Long.MAX_VALUE);
        }
        while (d.position() < slots) {
            int k = d.next(slots, s, ch, 0, s.length);
            for (int i = 0; i < k; i++) {
                int c = ch[i];
                n[c]++;
                if (minGap != null) {
                    minGap[c] = Math.min(minGap[c], s[i] - last[c]);
                }
                last[c] = s[i];
            }
        }
        return n;
    }

    @Test
    void efficiencyMismatchThinsTheWeakChannel() {
        LinkModel m =
                LinkModel.of(SHORT).withDetectors(DetectorImperfections.NONE.withRelativeEfficiencies(1, 0.5, 1, 1));
        long[] n = perChannel(m, 50_000_000, null);
        assertThat((double) n[1] / n[0]).isCloseTo(0.5, within(0.02));
    }

    @Test
    void noChannelClicksTwiceWithinItsDeadTime() {
        LinkModel m = LinkModel.of(SHORT).withDetectors(DetectorImperfections.NONE.withDeadTimeNs(50));
        long[] gap = new long[4];
        long[] n = perChannel(m, 50_000_000, gap);
        long[] ideal = perChannel(LinkModel.of(SHORT), 50_000_000, null);
        for (int c = 0; c < 4; c++) {
            assertThat(gap[c]).as("channel %d", c).isGreaterThan(50);
            assertThat(n[c]).isLessThan(ideal[c]);
        }
    }

    @Test
    void afterpulsesAddClicks() {
        LinkModel m = LinkModel.of(SHORT)
                .withDetectors(DetectorImperfections.NONE.withDeadTimeNs(10).withAfterpulsing(0.05, 20));
        long with = java.util.Arrays.stream(perChannel(m, 20_000_000, null)).sum();
        long without = java.util.Arrays.stream(perChannel(
                        LinkModel.of(SHORT).withDetectors(DetectorImperfections.NONE.withDeadTimeNs(10)),
                        20_000_000,
                        null))
                .sum();
        assertThat((double) with / without).isCloseTo(1.05, within(0.01));
    }

    @Test
    void jitterSpreadsClickTimes() {
        LinkModel m = LinkModel.of(SHORT).withDetectors(DetectorImperfections.NONE.withTimingJitterPs(40));
        DetectionStream d = new DetectionStream(m, 5);
        long[] s = new long[1 << 16];
        byte[] ch = new byte[s.length];
        int[] delay = new int[s.length];
        int k = d.next(100_000_000, s, ch, null, delay, 0, s.length);
        double sum = 0;
        double sq = 0;
        for (int i = 0; i < k; i++) {
            sum += delay[i];
            sq += (double) delay[i] * delay[i];
        }
        double mean = sum / k;
        assertThat(mean).isCloseTo(0, within(1.0));
        assertThat(Math.sqrt(sq / k - mean * mean)).isCloseTo(40, within(1.0));
    }
}
