package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.sim.devices.SimLinkConfig;
import io.hotaru.sim.physics.AnalyticModel;
import org.junit.jupiter.api.Test;

/**
 * Acceptance: the receiver's clock is 3.7 µs (and a fraction of a slot) off the link's and runs 4
 * ppm fast; cross-correlating two short windows of tags with the transmitter's revealed vacuum slots
 * recovers both, tracking keeps the tags on their slots and the QBER at its floor over the run, and
 * with tracking disabled (offset only) the framing falls apart.
 */
class SlotClockIT {

    private static final long OFFSET_PS = 3_701_234;
    private static final double DRIFT_PPM = 4;
    private static final String LINK = "link=sync&seed=5&params=metro&distance_km=25&clock_offset_ps=" + OFFSET_PS
            + "&clock_drift_ppm=" + DRIFT_PPM;
    private static final double PERIOD_PS = 10_000;
    /** The transmitter reveals the levels of the first 60 ms of slots; they are never used for key. */
    private static final long TRAINING_SLOTS = 6_000_000;

    private static SyncPattern vacuumPattern(SimulatedReceiver bob) {
        long[] slot = new long[1];
        byte[] level = new byte[1];
        byte[] basis = new byte[1];
        byte[] bit = new byte[1];
        return s -> {
            if (s < 0 || s >= TRAINING_SLOTS) {
                return false;
            }
            slot[0] = s;
            bob.source.statesFor(slot, 1, level, basis, bit);
            return level[0] == 2;
        };
    }

    private static SlotClock acquire(SimulatedReceiver bob) {
        long[] first = bob.readRaw(0.0005);
        bob.skip(0.0495);
        long[] second = bob.readRaw(0.0005);
        bob.skip(0.0095); // up to the end of the training range
        return SlotClockAcquisition.acquire(
                first, first.length, second, second.length, PERIOD_PS, 20e6, vacuumPattern(bob), 20e-6);
    }

    private static double floor() {
        return AnalyticModel.of(SimLinkConfig.parse("sim:bob?" + LINK).parameters())
                .qber(0);
    }

    @Test
    void recoversOffsetAndDriftAndKeepsTheQberAtItsFloor() {
        try (SimulatedReceiver bob = new SimulatedReceiver(LINK, 1 << 16)) {
            SlotClock clock = acquire(bob);
            assertThat(clock).isNotNull();
            assertThat(clock.offsetPs()).isCloseTo(OFFSET_PS, within(200.0));
            assertThat(clock.rateError() * 1e6).isCloseTo(DRIFT_PPM, within(0.05));
            bob.slotClock = clock;
            bob.run(3, 10_000_000L);
            System.out.printf(
                    "offset %.0f ps, drift %.4f ppm after tracking; %d blocks, mean QBER %.4f (floor %.4f)%n",
                    clock.offsetPs(), clock.rateError() * 1e6, bob.blocks.size(), bob.meanQber(0), floor());
            assertThat(bob.blocks).hasSizeGreaterThan(8);
            assertThat(bob.meanQber(0)).isCloseTo(floor(), within(0.003));
            assertThat(bob.worstWindowQber(0, 1)).isLessThan(floor() + 0.015);
            assertThat(clock.rateError() * 1e6).isCloseTo(DRIFT_PPM, within(0.01));
        }
    }

    @Test
    void withoutTrackingTheDriftPullsTheTagsOffTheirSlots() {
        try (SimulatedReceiver bob = new SimulatedReceiver(LINK, 1 << 16)) {
            SlotClock acquired = acquire(bob);
            bob.slotClock = new SlotClock(PERIOD_PS, acquired.offsetPs(), 0, 0, 0);
            bob.run(3, 10_000_000L);
            System.out.printf("without tracking: %d blocks, mean QBER %.4f%n", bob.blocks.size(), bob.meanQber(0));
            assertThat(bob.meanQber(0)).isGreaterThan(0.4);
        }
    }

    @Test
    void aWindowWithoutTheTransmittersPatternIsAmbiguous() {
        try (SimulatedReceiver bob = new SimulatedReceiver(LINK, 1 << 16)) {
            long[] tags = bob.readRaw(0.0005);
            SlotClockAcquisition.Offset o =
                    SlotClockAcquisition.offset(tags, tags.length, PERIOD_PS, 0, 0, 20e6, s -> false);
            assertThat(o.unambiguous()).isFalse();
        }
    }
}
