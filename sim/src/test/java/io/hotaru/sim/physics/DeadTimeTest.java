package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The dead time, applied to a whole batch of clicks as it is drawn, must give what the rule gives
 * click by click: without afterpulses a channel's click in slot s counts if s is at or past the end
 * of the dead time its last counted click began, and nothing else changes (every decision is keyed
 * by its slot). So a stream with dead time equals the same stream without it, filtered by the rule
 * here, however it is read in chunks and wherever it was sought to.
 */
class DeadTimeTest {

    private static final LinkParameters LINK = LinkParameters.gys().withLengthKm(2);

    @Property(tries = 25)
    void batchDeadTimeEqualsTheRuleClickByClick(
            @ForAll long seed,
            @ForAll @IntRange(min = 1, max = 400) int deadNs,
            @ForAll boolean mismatched,
            @ForAll @LongRange(min = 0, max = 2_000_000) long from,
            @ForAll long chunkSeed) {
        DetectorImperfections ideal = mismatched
                ? DetectorImperfections.NONE.withRelativeEfficiencies(1, 0.6, 0.9, 1)
                : DetectorImperfections.NONE;
        DetectorImperfections dead = ideal.withDeadTimeNs(deadNs);
        long key = CounterRandom.linkKey(seed, "dead");
        long to = 4_000_000;
        long deadSlots = (long) Math.ceil(deadNs / (1e9 / LINK.repetitionRateHz()));

        DetectionStream without = new DetectionStream(LinkModel.of(LINK).withDetectors(ideal), key);
        without.seek(from);
        long[] s = new long[1 << 20];
        byte[] c = new byte[s.length];
        int[] st = new int[s.length];
        int n = without.next(to, s, c, st, null, 0, s.length);
        long[] until = new long[4];
        int m = 0;
        for (int i = 0; i < n; i++) {
            if (s[i] >= until[c[i]]) {
                until[c[i]] = s[i] + 1 + deadSlots;
                s[m] = s[i];
                c[m] = c[i];
                st[m] = st[i];
                m++;
            }
        }

        DetectionStream with = new DetectionStream(LinkModel.of(LINK).withDetectors(dead), key);
        with.seek(from);
        Random chunks = new Random(chunkSeed);
        long[] slots = new long[m + 1];
        byte[] channels = new byte[m + 1];
        int[] states = new int[m + 1];
        int got = 0;
        while (with.position() < to) {
            long end = Math.min(to, with.position() + 1 + (long) (chunks.nextDouble() * to / 8));
            int max = Math.min(1 + chunks.nextInt(5000), slots.length - got);
            got += with.next(end, slots, channels, states, null, got, max);
        }
        assertThat(got).as("seed %d, dead %d ns, from %d", seed, deadNs, from).isEqualTo(m);
        assertThat(Arrays.copyOf(slots, got)).isEqualTo(Arrays.copyOf(s, m));
        assertThat(Arrays.copyOf(channels, got)).isEqualTo(Arrays.copyOf(c, m));
        assertThat(Arrays.copyOf(states, got)).isEqualTo(Arrays.copyOf(st, m));
    }
}
