package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SlotClockTest {

    private static final double PERIOD = 10_000;

    /** Receiver timestamps of random slots in [from, from + span) for offset O and rate d. */
    private static long[] tags(long fromSlot, int n, double offset, double rate, SplittableRandom r) {
        long[] t = new long[n];
        long slot = fromSlot;
        for (int i = 0; i < n; i++) {
            slot += 1 + r.nextInt(300);
            t[i] = Math.round(slot * PERIOD * (1 + rate) + offset);
        }
        return t;
    }

    @Test
    void mapsReceiverTimeBackToLinkTime() {
        SlotClock clock = SlotClock.of(PERIOD, 5_000_000, 3e-6);
        long link = 7_000_000_000L;
        long receiver = Math.round(link * (1 + 3e-6) + 5_000_000);
        assertThat(clock.linkTimePs(receiver)).isCloseTo(link, within(1L));
    }

    @Test
    void locksOntoARateErrorLeftAfterAcquisition() {
        double trueOffset = 2_345_678;
        double trueRate = 4e-6;
        SlotClock clock = SlotClock.of(PERIOD, trueOffset + 300, trueRate + 2e-8);
        SplittableRandom r = new SplittableRandom(3);
        long slot = 10_000_000;
        for (int batch = 0; batch < 500; batch++) {
            long[] t = tags(slot, 2000, trueOffset, trueRate, r);
            clock.track(t, t.length);
            slot += 1_000_000; // 10 ms per batch
        }
        assertThat(clock.rateError()).isCloseTo(trueRate, within(1e-10));
        assertThat(Math.abs(clock.lastPhaseErrorPs())).isLessThan(5);
        long[] t = tags(slot, 100, trueOffset, trueRate, r);
        long[] mapped = t.clone();
        clock.toLinkTime(mapped, mapped.length);
        for (long m : mapped) {
            assertThat(Math.abs(m - Math.rint(m / PERIOD) * PERIOD)).isLessThan(20);
        }
    }

    @Test
    void refusesNonsenseGains() {
        assertThatThrownBy(() -> new SlotClock(PERIOD, 0, 0, 2, 0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlotClock(0, 0, 0, 0.5, 0.1)).isInstanceOf(IllegalArgumentException.class);
    }
}
