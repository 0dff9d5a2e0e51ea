package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.sim.devices.SimPolarisationController;
import io.hotaru.sim.physics.StokesRotation;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class PolarisationLoopTest {

    private static final double FLOOR = 0.03;

    /** Waveplates in front of a fixed fibre rotation; counts moves, can be made to fail. */
    private static final class Waveplates implements PolarisationController {
        final StokesRotation fibre;
        double[] angles = new double[3];
        int failuresLeft;
        int calls;

        Waveplates(StokesRotation fibre) {
            this.fibre = fibre;
        }

        @Override
        public int waveplateCount() {
            return 3;
        }

        @Override
        public double[] anglesDeg() {
            return angles.clone();
        }

        @Override
        public void setAnglesDeg(double[] a) {
            calls++;
            if (failuresLeft > 0) {
                failuresLeft--;
                throw new DeviceException(DeviceException.Code.DEVICE_ERROR, "motor stalled");
            }
            angles = a.clone();
        }

        /** Expected error counts of a block of 10^4 Z and 2·10^4 X bits at the current angles. */
        QberSample block(long id, SplittableRandom noise) {
            StokesRotation r = SimPolarisationController.rotationOf(angles).after(fibre);
            double ez = FLOOR + (1 - 2 * FLOOR) * r.errorProbability(0);
            double ex = FLOOR + (1 - 2 * FLOOR) * r.errorProbability(1);
            return new QberSample(id, 10_000, binomial(10_000, ez, noise), 20_000, binomial(20_000, ex, noise));
        }

        double errorRate() {
            StokesRotation r = SimPolarisationController.rotationOf(angles).after(fibre);
            return FLOOR + (1 - 2 * FLOOR) * (r.errorProbability(0) + 2 * r.errorProbability(1)) / 3;
        }

        @Override
        public DeviceIdentity identity() {
            return new DeviceIdentity("test", "waveplates", "1", "test:", DeviceIdentity.Kind.SIMULATED);
        }

        @Override
        public DeviceHealth health() {
            return DeviceHealth.ok("test");
        }

        @Override
        public SelfTestResult selfTest() {
            return SelfTestResult.pass("test");
        }

        @Override
        public void close() {}
    }

    private static int binomial(int n, double p, SplittableRandom random) {
        double mean = n * p;
        double x = mean + Math.sqrt(n * p * (1 - p)) * random.nextGaussian();
        return (int) Math.max(0, Math.min(n, Math.round(x)));
    }

    @Test
    void findsAStaticMisalignmentFromNoisyErrorCounts() {
        Waveplates plates = new Waveplates(StokesRotation.about(1, 2, 3, Math.toRadians(25)));
        PolarisationLoop loop = new PolarisationLoop(plates, PolarisationSearch.Settings.defaults(), 5, () -> 0, 0);
        SplittableRandom noise = new SplittableRandom(9);
        double before = plates.errorRate();
        long block = 0;
        for (int i = 0; i < 1200; i++) {
            loop.doWork(block); // moves while block `block` is framed
            block++; // block is stale, the next one measures the new angles
            loop.sampleFinished(plates.block(block - 1, noise));
            loop.sampleFinished(plates.block(block, noise));
            block++;
        }
        assertThat(before).isGreaterThan(FLOOR + 0.02);
        assertThat(plates.errorRate()).isLessThan(FLOOR + 0.003);
        assertThat(loop.usedSamples()).isEqualTo(1199);
        assertThat(loop.staleSamples()).isEqualTo(1199);
        assertThat(loop.errors()).isZero();
    }

    @Test
    void ignoresBlocksFramedBeforeTheControllerSettled() {
        Waveplates plates = new Waveplates(StokesRotation.IDENTITY);
        AtomicLong now = new AtomicLong();
        PolarisationLoop loop = new PolarisationLoop(plates, PolarisationSearch.Settings.defaults(), 5, now::get, 100);
        loop.doWork(7); // first move while block 7 is framed; settles at t = 100 ns
        assertThat(plates.calls).isEqualTo(1);
        now.set(50);
        loop.doWork(8);
        loop.sampleFinished(new QberSample(8, 100, 3, 100, 3)); // framed while still settling
        now.set(150);
        loop.doWork(9); // settled now: blocks up to 9 are stale
        loop.sampleFinished(new QberSample(9, 100, 3, 100, 3));
        loop.doWork(10);
        assertThat(loop.usedSamples()).isZero();
        assertThat(loop.staleSamples()).isEqualTo(2);
        assertThat(plates.calls).isEqualTo(1);

        loop.sampleFinished(new QberSample(10, 100, 3, 100, 3));
        loop.doWork(11);
        assertThat(loop.usedSamples()).isOne();
        assertThat(plates.calls).isEqualTo(2);
    }

    @Test
    void aFailingControllerIsCountedAndTriedAgainWithoutStoppingTheLoop() {
        Waveplates plates = new Waveplates(StokesRotation.IDENTITY);
        plates.failuresLeft = 2;
        PolarisationLoop loop = new PolarisationLoop(plates, PolarisationSearch.Settings.defaults(), 5, () -> 0, 0);
        loop.doWork(0);
        loop.doWork(0);
        assertThat(loop.errors()).isEqualTo(2);
        assertThat(loop.lastError()).contains("motor stalled");
        assertThat(loop.moves()).isZero();
        loop.doWork(0);
        assertThat(loop.moves()).isOne();
        assertThat(plates.angles).isNotEqualTo(new double[3]);
    }
}
