package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.sim.physics.StokesRotation;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Polarisation drift, Bob's polarisation controller and Bob's clock on a simulated link. */
class SimImpairmentsTest {

    private static final String LINK = "link=ab&seed=42&params=metro&distance_km=25";

    private final AtomicLong nowNs = new AtomicLong(1_000_000_000L);
    private final SimDriverProvider sim = new SimDriverProvider(nowNs::get);

    /** Z and X error rates of the sifted detections in the next {@code ms} of link time. */
    private double[] errorRates(TimeTagger bob, PhotonSource alice, long ms, long periodPs) {
        nowNs.addAndGet(ms * 1_000_000);
        TagBatch batch = new TagBatch(1 << 20);
        int n = bob.read(batch);
        long[] slots = new long[n];
        for (int i = 0; i < n; i++) {
            slots[i] = Math.round((double) batch.timestampsPs()[i] / periodPs);
        }
        byte[] level = new byte[n];
        byte[] basis = new byte[n];
        byte[] bit = new byte[n];
        alice.statesFor(slots, n, level, basis, bit);
        int[] bits = new int[2];
        int[] errors = new int[2];
        for (int i = 0; i < n; i++) {
            int channel = batch.channels()[i];
            if (basis[i] == channel >> 1) {
                bits[basis[i]]++;
                errors[basis[i]] += bit[i] != (channel & 1) ? 1 : 0;
            }
        }
        return new double[] {(double) errors[0] / bits[0], (double) errors[1] / bits[1]};
    }

    @Test
    void theControllerMisalignsTheReceiverAndUndoingItRestoresTheFloor() {
        String uri = "sim:bob?" + LINK;
        TimeTagger bob = sim.open(DeviceUri.parse(uri), TimeTagger.class);
        PolarisationController plates =
                sim.open(DeviceUri.parse("sim:polarisation?" + LINK), PolarisationController.class);
        PhotonSource alice = sim.open(DeviceUri.parse("sim:alice?" + LINK), PhotonSource.class);
        bob.start();
        double[] floor = errorRates(bob, alice, 500, 10_000);
        plates.setAnglesDeg(new double[] {0, 22.5, 0}); // a half-wave plate at 22.5°: H ↔ D
        double[] turned = errorRates(bob, alice, 500, 10_000);
        plates.setAnglesDeg(new double[] {0, 0, 0});
        double[] back = errorRates(bob, alice, 500, 10_000);

        assertThat(floor[0]).isBetween(0.025, 0.045);
        StokesRotation r = SimPolarisationController.rotationOf(new double[] {0, 22.5, 0});
        for (int b = 0; b < 2; b++) {
            double expected = floor[b] + (1 - 2 * floor[b]) * r.errorProbability(b);
            assertThat(turned[b]).as("basis %d", b).isCloseTo(expected, within(0.02));
        }
        assertThat(turned[0] + turned[1]).isGreaterThan(0.5);
        assertThat(back[0]).isBetween(0.025, 0.045);
        assertThat(back[1]).isBetween(0.025, 0.045);
    }

    @Test
    void polarisationDriftRaisesTheErrorRateOverTime() {
        String params = LINK + "&pol_drift=5";
        TimeTagger bob = sim.open(DeviceUri.parse("sim:bob?" + params), TimeTagger.class);
        PhotonSource alice = sim.open(DeviceUri.parse("sim:alice?" + params), PhotonSource.class);
        bob.start();
        double[] early = errorRates(bob, alice, 200, 10_000);
        nowNs.addAndGet(20_000_000_000L); // 100° of drift later (skipped slots are generated, not read)
        bob.read(new TagBatch(1 << 23));
        double[] late = errorRates(bob, alice, 200, 10_000);
        assertThat(early[0] + early[1]).isLessThan(0.09);
        assertThat(late[0] + late[1]).isGreaterThan(early[0] + early[1] + 0.1);
    }

    @Test
    void bobsClockHasTheConfiguredOffsetAndDrift() {
        AtomicLong clock = new AtomicLong();
        SimTimeTagger plain = new SimTimeTagger(SimLinkConfig.parse("sim:bob?" + LINK), clock::get);
        SimTimeTagger skewed = new SimTimeTagger(
                SimLinkConfig.parse("sim:bob?" + LINK + "&clock_offset_ps=3000000&clock_drift_ppm=5"), clock::get);
        plain.start();
        skewed.start();
        clock.set(2_000_000_000L);
        TagBatch a = new TagBatch(1 << 20);
        TagBatch b = new TagBatch(1 << 20);
        int n = plain.read(a);
        assertThat(skewed.read(b)).isEqualTo(n);
        for (int i = 0; i < n; i += 1000) {
            long t = a.timestampsPs()[i];
            assertThat(b.timestampsPs()[i]).isEqualTo(t + Math.round(t * (5 * 1e-6)) + 3_000_000);
        }
        assertThat(b.completeUpToPs()).isEqualTo(2_000_000_000_000L + 10_000_000 + 3_000_000);
    }

    @Test
    void impairmentsOutOfRangeAreRefusedNamingTheParameter() {
        assertThatThrownBy(() -> SimLinkConfig.parse("sim:bob?" + LINK + "&pol_drift=-1"))
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("'pol_drift'");
        assertThatThrownBy(() -> SimLinkConfig.parse("sim:bob?" + LINK + "&clock_drift_ppm=5000"))
                .hasMessageContaining("'clock_drift_ppm'");
        assertThatThrownBy(() -> SimLinkConfig.parse("sim:bob?" + LINK + "&clock_offset_ps=x"))
                .hasMessageContaining("'clock_offset_ps'");
    }
}
