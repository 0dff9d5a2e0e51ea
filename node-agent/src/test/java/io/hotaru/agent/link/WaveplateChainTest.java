package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.sim.devices.SimPolarisationController;
import io.hotaru.sim.physics.StokesRotation;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WaveplateChainTest {

    private static void assertSameRotation(double[] actual, StokesRotation expected) {
        for (int i = 0; i < 9; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected.element(i / 3, i % 3), within(1e-9));
        }
    }

    private static void assertSameRotation(double[] actual, double[] expected) {
        for (int i = 0; i < 9; i++) {
            assertThat(actual[i]).as("element %d", i).isCloseTo(expected[i], within(1e-9));
        }
    }

    @Test
    void makesTheSimulatedControllersRotation() {
        SplittableRandom random = new SplittableRandom(1);
        for (int t = 0; t < 1000; t++) {
            double[] angles = {random.nextDouble(-180, 180), random.nextDouble(-180, 180), random.nextDouble(-180, 180)
            };
            assertSameRotation(WaveplateChain.rotationOf(angles), SimPolarisationController.rotationOf(angles));
        }
    }

    @Test
    void findsAnglesForAnyRotationNearTheGivenOnes() {
        SplittableRandom random = new SplittableRandom(2);
        for (int t = 0; t < 1000; t++) {
            double[] target =
                    WaveplateChain.exp(random.nextDouble(-2, 2), random.nextDouble(-2, 2), random.nextDouble(-2, 2));
            double[] near = {random.nextDouble(-180, 180), random.nextDouble(-180, 180), random.nextDouble(-180, 180)};
            double[] angles = WaveplateChain.anglesFor(target, near);
            assertSameRotation(WaveplateChain.rotationOf(angles), target);
            assertThat(Math.abs(angles[0] - near[0])).isLessThanOrEqualTo(90 + 1e-9);
            assertThat(Math.abs(angles[1] - near[1])).isLessThanOrEqualTo(45 + 1e-9);
            assertThat(Math.abs(angles[2] - near[2])).isLessThanOrEqualTo(90 + 1e-9);
        }
    }

    /** On a fold (2a₂ = a₁ + a₃) and next to it the angles still make the rotation asked for. */
    @Test
    void handlesTheFoldsOfTheWaveplateMap() {
        for (double[] fold : new double[][] {{10, 20, 30}, {10, 65, 30}, {-40, 5, 50}, {0, 0, 0}}) {
            double[] onFold = WaveplateChain.rotationOf(fold);
            assertSameRotation(WaveplateChain.rotationOf(WaveplateChain.anglesFor(onFold, fold)), onFold);
            double[] nudged = WaveplateChain.times(WaveplateChain.exp(1e-4, -2e-4, 3e-4), onFold);
            assertSameRotation(WaveplateChain.rotationOf(WaveplateChain.anglesFor(nudged, fold)), nudged);
        }
    }

    @Test
    void smallRotationsStaySmallAwayFromTheFolds() {
        double[] start = {10, 40, -20};
        double[] moved = WaveplateChain.times(WaveplateChain.exp(0.01, 0.01, -0.01), WaveplateChain.rotationOf(start));
        double[] angles = WaveplateChain.anglesFor(moved, start);
        for (int i = 0; i < 3; i++) {
            assertThat(angles[i]).isCloseTo(start[i], within(3.0));
        }
    }

    @Test
    void orthonormalisingKeepsARotationAndRepairsDrift() {
        double[] r = WaveplateChain.exp(0.3, -0.2, 0.9);
        assertSameRotation(WaveplateChain.orthonormalised(r), r);
        double[] drifted = r.clone();
        drifted[0] += 1e-6;
        double[] repaired = WaveplateChain.orthonormalised(drifted);
        double[] product = WaveplateChain.times(repaired, new double[] {
            repaired[0],
            repaired[3],
            repaired[6],
            repaired[1],
            repaired[4],
            repaired[7],
            repaired[2],
            repaired[5],
            repaired[8]
        });
        assertSameRotation(product, new double[] {1, 0, 0, 0, 1, 0, 0, 0, 1});
    }
}
