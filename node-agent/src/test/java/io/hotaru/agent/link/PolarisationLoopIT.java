package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.sim.devices.SimLinkConfig;
import io.hotaru.sim.physics.AnalyticModel;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Acceptance: a simulated polarisation drift (0.2° per second on the Poincaré sphere, the metro link
 * at 25 km, blocks of 2^16 detections, 400 s of link time) is compensated, the QBER staying within
 * 0.5 percentage points of its floor, on average and over every window of 100 blocks; without the
 * loop it leaves that band. The clock is moved by hand, so the run takes as long as the simulation
 * and the framing (about 10 s a seed). Seeds 11 and 19 run in the default suite (on 19 the drift
 * carries the optimum across a fold of the QWP–HWP–QWP map, where the former search over the angles
 * lagged: 0.73 pp on average, 2.8 pp in its worst window), the sweep over seeds 10 to 20 and the
 * negative runs are tagged {@code slow} (docs/adr/0007-polarisation-search.md).
 */
class PolarisationLoopIT {

    private static final String LINK = "link=pol&seed=%d&params=metro&distance_km=25&pol_drift=0.2";
    private static final int BLOCK = 1 << 16;
    private static final double SECONDS = 400;
    private static final int SETTLING_BLOCKS = 40;
    private static final long STEP_NS = 50_000_000L;

    private static double floor(long seed) {
        return AnalyticModel.of(
                        SimLinkConfig.parse("sim:bob?" + LINK.formatted(seed)).parameters())
                .qber(0);
    }

    /**
     * The negative of the acceptance check, on the seeds whose drift takes the QBER furthest from its
     * floor (without the loop, worst windows 4.8 and 2.2 pp above it): the same drift without
     * compensation leaves the 0.5 pp band by more than a whole point, so the check that the loop
     * passes on them could not pass without it. (On seeds 14, 16 and 20 the drift alone stays within
     * about 0.5 pp over the 400 s, so those seeds do not test the loop.)
     */
    @Tag("slow")
    @ParameterizedTest
    @ValueSource(longs = {11, 19})
    void withoutCompensationTheQberLeavesTheBandByOverAPoint(long seed) {
        try (SimulatedReceiver bob = new SimulatedReceiver(LINK.formatted(seed), BLOCK)) {
            bob.run(SECONDS, STEP_NS);
            double mean = bob.meanQber(SETTLING_BLOCKS);
            double worstWindow = bob.worstWindowQber(SETTLING_BLOCKS, 100);
            System.out.printf(
                    "seed %d, no loop: floor %.4f, mean QBER %.4f, worst 100-block mean %.4f, %d blocks%n",
                    seed, floor(seed), mean, worstWindow, bob.blocks.size());
            assertThat(worstWindow).as("seed %d", seed).isGreaterThan(floor(seed) + 0.015);
        }
    }

    @Test
    void theLoopKeepsTheQberWithinHalfAPointOfItsFloorOnSeed11() {
        theLoopKeepsTheQberWithinHalfAPointOfItsFloor(11);
    }

    /** Seed 19's drift carries the optimum across a fold of the waveplate map. */
    @Test
    void theLoopKeepsTheQberWithinHalfAPointOfItsFloorOnSeed19() {
        theLoopKeepsTheQberWithinHalfAPointOfItsFloor(19);
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(longs = {10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20})
    void theLoopKeepsTheQberWithinHalfAPointOfItsFloor(long seed) {
        try (SimulatedReceiver bob = new SimulatedReceiver(LINK.formatted(seed), BLOCK)) {
            PolarisationLoop loop = new PolarisationLoop(
                    bob.controller, PolarisationSearch.Settings.defaults(), seed, bob.nowNs::get, 0);
            bob.addLoop(loop);
            bob.onSample(loop::sampleFinished);
            bob.run(SECONDS, STEP_NS);
            double mean = bob.meanQber(SETTLING_BLOCKS);
            double worstWindow = bob.worstWindowQber(SETTLING_BLOCKS, 100);
            System.out.printf(
                    "seed %d, loop: floor %.4f, mean QBER %.4f, worst 100-block mean %.4f, %d blocks, %d moves,"
                            + " %d used, %d stale%n",
                    seed,
                    floor(seed),
                    mean,
                    worstWindow,
                    bob.blocks.size(),
                    loop.moves(),
                    loop.usedSamples(),
                    loop.staleSamples());
            assertThat(loop.errors()).isZero();
            assertThat(loop.usedSamples()).isGreaterThan(bob.blocks.size() / 3);
            assertThat(mean).as("seed %d", seed).isBetween(floor(seed) - 0.005, floor(seed) + 0.005);
            assertThat(worstWindow).as("seed %d", seed).isLessThan(floor(seed) + 0.005);
        }
    }
}
