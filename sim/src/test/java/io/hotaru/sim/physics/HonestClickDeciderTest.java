package io.hotaru.sim.physics;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class HonestClickDeciderTest {

    private static final long ONE_32 = 1L << 32;

    /**
     * The vectorised decider against the rules written out one slot at a time: Alice's state from
     * {@link WeakCoherentSource#state}, then thinning, photon or dark click, Bob's basis,
     * misalignment error and random bit from Bob's decision word.
     */
    @Property(tries = 60)
    void decidesEveryCandidateAsTheOneSlotRulesDo(
            @ForAll long key,
            @ForAll @IntRange(min = 1, max = 3) int levels,
            @ForAll @DoubleRange(min = 0, max = 1) double p0,
            @ForAll @DoubleRange(min = 0.01, max = 0.99) double pZ,
            @ForAll @DoubleRange(min = 0, max = 1) double receiverZ,
            @ForAll @DoubleRange(min = 0, max = 0.5) double error,
            @ForAll long thresholdSeed,
            @ForAll boolean unequalDetectors,
            @ForAll @IntRange(min = 0, max = 300) int n) {
        double[] mu = {0.5, 0.1, 0.0};
        double[] prob = levels == 1
                ? new double[] {1}
                : levels == 2 ? new double[] {p0, 1 - p0} : new double[] {p0 / 2, (1 - p0) / 2, 0.5};
        LinkParameters p =
                new LinkParameters(1e9, java.util.Arrays.copyOf(mu, levels), prob, pZ, 0.2, 50, 0, 0.1, 1e-6, error);
        WeakCoherentSource alice = new WeakCoherentSource(p, key);
        CounterRandom bob = CounterRandom.of(key, Streams.BOB_DECISION);
        long z12 = Math.round(receiverZ * (1 << 12));
        long e20 = Math.round(error * (1 << 20));
        long[] accept = new long[levels];
        long[] photon = new long[levels];
        CounterRandom t = CounterRandom.of(thresholdSeed, 0);
        for (int k = 0; k < levels; k++) {
            accept[k] = k == 0 ? ONE_32 : t.at(k) >>> 32;
            photon[k] = Math.min(accept[k], t.at(k + 10) >>> 32);
        }
        CounterRandom extra = CounterRandom.of(key, Streams.EXTRA);
        long[] keep24 = new long[4];
        for (int c = 0; c < 4; c++) {
            keep24[c] = c == 0 ? 1L << 24 : t.at(20 + c) >>> 40;
        }
        HonestClickDecider decider = unequalDetectors
                ? new HonestClickDecider(alice, bob, z12, e20, extra, keep24)
                : new HonestClickDecider(alice, bob, z12, e20);
        decider.setLevels(accept, photon);
        long[] slots = new long[n];
        long slot = t.at(99) >>> 20;
        for (int i = 0; i < n; i++) {
            slot += 1 + (t.at(100 + i) & 1023);
            slots[i] = slot;
        }
        long[] out = new long[n];
        decider.decide(slots, new long[n], new long[n], new long[n], out, n);

        for (int i = 0; i < n; i++) {
            int state = alice.state(slots[i]);
            long w = bob.at(slots[i]);
            long u = w >>> 32;
            int level = PulseState.intensityLevel(state);
            int bobBasis = (w & 0xFFF) < z12 ? 0 : 1;
            int randomBit = (int) (w >>> 12) & 1;
            boolean light = u < photon[level];
            int bit;
            if (!light || bobBasis != PulseState.basis(state)) {
                bit = randomBit;
            } else {
                bit = PulseState.bit(state) ^ (((w >>> 12) & 0xFFFFF) < e20 ? 1 : 0);
            }
            int channel = bobBasis << 1 | bit;
            boolean click = u < accept[level];
            if (unequalDetectors && light && ((extra.at(slots[i]) >>> 8) & 0xFFFFFF) >= keep24[channel]) {
                click = false;
            }
            long d = out[i];
            assertThat(d & 0xFF).as("state, candidate %d", i).isEqualTo(state);
            assertThat((d >>> HonestClickDecider.CHANNEL_SHIFT) & 0xFF)
                    .as("channel, candidate %d", i)
                    .isEqualTo(channel);
            assertThat((d >>> HonestClickDecider.CLICK_SHIFT) & 1)
                    .as("click, candidate %d, slot %d", i, slots[i])
                    .isEqualTo(click ? 1L : 0L);
        }
    }

    @Test
    void handlesSourcesOfAtMostThreeLevels() {
        LinkParameters three = LinkParameters.demo();
        LinkParameters four = new LinkParameters(
                1e9,
                new double[] {0.5, 0.2, 0.1, 0},
                new double[] {0.7, 0.1, 0.1, 0.1},
                0.5,
                0.2,
                50,
                0,
                0.1,
                1e-6,
                0.01);
        assertThat(HonestClickDecider.handles(new WeakCoherentSource(three, 1))).isTrue();
        assertThat(HonestClickDecider.handles(new WeakCoherentSource(four, 1))).isFalse();
    }
}
