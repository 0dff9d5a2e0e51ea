package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class DetectionStreamTest {

    /** All detections in [from, to) in one call. */
    private static Events all(LinkParameters p, long key, long from, long to) {
        DetectionStream d = new DetectionStream(p, key);
        d.seek(from);
        int cap = 1 << 20;
        long[] slots = new long[cap];
        byte[] channels = new byte[cap];
        int n = d.next(to, slots, channels, 0, cap);
        assertThat(n).as("test buffer too small").isLessThan(cap);
        assertThat(d.position()).isEqualTo(to);
        return new Events(Arrays.copyOf(slots, n), Arrays.copyOf(channels, n));
    }

    record Events(long[] slots, byte[] channels) {}

    @Property(tries = 40)
    void chunkingDoesNotChangeTheEvents(
            @ForAll long seed,
            @ForAll @DoubleRange(min = 0, max = 60) double km,
            @ForAll @LongRange(min = 1, max = 5_000_000) long n,
            @ForAll long chunkSeed) {
        LinkParameters p = LinkParameters.demo().withLengthKm(km);
        long key = CounterRandom.linkKey(seed, "ab");
        Events whole = all(p, key, 0, n);

        Random chunks = new Random(chunkSeed);
        DetectionStream d = new DetectionStream(p, key);
        long[] slots = new long[whole.slots().length + 1];
        byte[] channels = new byte[slots.length];
        int got = 0;
        while (d.position() < n) {
            long end = Math.min(n, d.position() + 1 + (long) (chunks.nextDouble() * n / 4));
            int max = 1 + chunks.nextInt(50);
            got += d.next(end, slots, channels, got, Math.min(max, slots.length - got));
        }
        assertThat(Arrays.copyOf(slots, got))
                .as("seed %d chunks %d", seed, chunkSeed)
                .isEqualTo(whole.slots());
        assertThat(Arrays.copyOf(channels, got)).isEqualTo(whole.channels());
    }

    @Property(tries = 30)
    void seekGivesTheSameEventsAsWalkingThere(
            @ForAll long seed, @ForAll @LongRange(min = 0, max = 3_000_000) long from) {
        LinkParameters p = LinkParameters.demo().withLengthKm(5);
        long key = CounterRandom.linkKey(seed, "ab");
        long to = 3_000_000;
        Events whole = all(p, key, 0, to);
        Events tail = all(p, key, from, to);
        int first = 0;
        while (first < whole.slots().length && whole.slots()[first] < from) {
            first++;
        }
        assertThat(tail.slots()).isEqualTo(Arrays.copyOfRange(whole.slots(), first, whole.slots().length));
        assertThat(tail.channels()).isEqualTo(Arrays.copyOfRange(whole.channels(), first, whole.channels().length));
    }

    /**
     * On a lossy link a stream draws several blocks together (about a thousand candidates); a seek
     * into the middle of such a batch starts a batch there and still gives the same events.
     */
    @Property(tries = 20)
    void seekingIntoABatchOfBlocksGivesTheSameEvents(
            @ForAll long seed,
            @ForAll @DoubleRange(min = 40, max = 100) double km,
            @ForAll @LongRange(min = 0, max = 20_000_000) long from) {
        LinkParameters p = LinkParameters.gys().withLengthKm(km);
        long key = CounterRandom.linkKey(seed, "ab");
        long to = 20_000_000;
        Events whole = all(p, key, 0, to);
        Events tail = all(p, key, from, to);
        int first = 0;
        while (first < whole.slots().length && whole.slots()[first] < from) {
            first++;
        }
        assertThat(tail.slots()).isEqualTo(Arrays.copyOfRange(whole.slots(), first, whole.slots().length));
        assertThat(tail.channels()).isEqualTo(Arrays.copyOfRange(whole.channels(), first, whole.channels().length));
    }

    @Test
    void sameSeedSameEventsOtherSeedOtherEvents() {
        LinkParameters p = LinkParameters.demo();
        Events a = all(p, CounterRandom.linkKey(42, "ab"), 0, 10_000_000);
        Events b = all(p, CounterRandom.linkKey(42, "ab"), 0, 10_000_000);
        Events c = all(p, CounterRandom.linkKey(43, "ab"), 0, 10_000_000);
        assertThat(a.slots()).isEqualTo(b.slots());
        assertThat(a.channels()).isEqualTo(b.channels());
        assertThat(c.slots()).isNotEqualTo(a.slots());
    }

    /** Frozen output: any change in the sampler changes every simulated link and must be looked at. */
    @Test
    void firstEventsAreFrozen() {
        Events e = all(LinkParameters.demo(), CounterRandom.linkKey(42, "ab"), 0, 2_000);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < e.slots().length; i++) {
            s.append(e.slots()[i]).append(':').append(e.channels()[i]).append(' ');
        }
        assertThat(s.toString().trim()).isEqualTo(FROZEN_FIRST_EVENTS);
    }

    private static final String FROZEN_FIRST_EVENTS =
            "51:1 230:2 278:2 338:3 484:0 640:2 949:3 1031:1 1218:2 1692:1 1694:2 1838:3";

    @Test
    void aCappedCallStopsAtMaxAndTheNextContinuesRightAfter() {
        LinkParameters p = LinkParameters.demo().withLengthKm(0);
        Events whole = all(p, 9, 0, 1_000_000);
        DetectionStream d = new DetectionStream(p, 9);
        long[] slots = new long[3];
        byte[] channels = new byte[3];
        assertThat(d.next(1_000_000, slots, channels, 0, 3)).isEqualTo(3);
        assertThat(slots).isEqualTo(Arrays.copyOf(whole.slots(), 3));
        assertThat(d.position()).isGreaterThan(slots[2]).isLessThanOrEqualTo(whole.slots()[3]);
        assertThat(d.next(1_000_000, slots, channels, 0, 3)).isEqualTo(3);
        assertThat(slots).isEqualTo(Arrays.copyOfRange(whole.slots(), 3, 6));
    }

    @Test
    void aSilentLinkNeverClicks() {
        LinkParameters p =
                new LinkParameters(1e9, new double[] {0}, new double[] {1}, 0.5, 0.21, 25, 0, 0.045, 0, 0.033);
        DetectionStream d = new DetectionStream(p, 1);
        assertThat(d.next(1L << 40, new long[1], new byte[1], 0, 1)).isZero();
        assertThat(d.position()).isEqualTo(1L << 40);
    }

    @Test
    void aLosslessLinkWithCertainDarkCountsClicksEverySlot() {
        LinkParameters p = new LinkParameters(1e9, new double[] {0.5}, new double[] {1}, 0.5, 0, 0, 0, 1, 1, 0);
        DetectionStream d = new DetectionStream(p, 1);
        long[] slots = new long[100];
        assertThat(d.next(100, slots, new byte[100], 0, 100)).isEqualTo(100);
        for (int i = 0; i < 100; i++) {
            assertThat(slots[i]).isEqualTo(i);
        }
    }
}
