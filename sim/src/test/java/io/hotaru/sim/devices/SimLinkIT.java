package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.sim.physics.AnalyticModel;
import org.junit.jupiter.api.Test;

/**
 * Alice and Bob opened through the SPI from the same link URI agree: sifting Bob's detections
 * against Alice's regenerated states gives the analytic QBER per intensity level. Link time is
 * sped up, and only events before a fixed link time are counted, so the figures do not depend on
 * how fast the machine is.
 */
class SimLinkIT {

    private static final String LINK = "?link=ab&seed=42&params=demo&distance_km=25&time_scale=2000";
    private static final long LINK_TIME_PS = 2_000_000_000_000L; // 2 s of link time: ≈ 1.1·10^6 detections

    @Test
    void aliceAndBobFromTheSameUriAgreeAsTheModelSays() {
        Drivers drivers = Drivers.discover();
        try (PhotonSource alice = drivers.open("sim:alice" + LINK, PhotonSource.class);
                TimeTagger bob = drivers.open("sim:bob" + LINK, TimeTagger.class)) {
            Sifted s = sift(alice, bob);
            AnalyticModel model = AnalyticModel.of(SimLinkConfig.linkParameters("sim:bob" + LINK));
            for (int k = 0; k < 2; k++) {
                double expected = model.qber(k);
                double sigma = Math.sqrt(expected * (1 - expected) / s.sifted[k]);
                assertThat((double) s.errors[k] / s.sifted[k])
                        .as(
                                "QBER of level %d: %d/%d, expected %.5f ± %.5f",
                                k, s.errors[k], s.sifted[k], expected, sigma)
                        .isBetween(expected - 3 * sigma, expected + 3 * sigma);
            }
            double slots = LINK_TIME_PS / alice.settings().slotPeriodPs();
            double expectedSignal = slots * 0.8 * model.gain(0);
            assertThat((double) s.clicks[0])
                    .isBetween(
                            expectedSignal - 3 * Math.sqrt(expectedSignal),
                            expectedSignal + 3 * Math.sqrt(expectedSignal));
        }
    }

    @Test
    void aliceOfAnotherSeedDoesNotAgree() {
        Drivers drivers = Drivers.discover();
        try (PhotonSource alice = drivers.open("sim:alice" + LINK.replace("seed=42", "seed=43"), PhotonSource.class);
                TimeTagger bob = drivers.open("sim:bob" + LINK, TimeTagger.class)) {
            Sifted s = sift(alice, bob);
            assertThat((double) s.errors[0] / s.sifted[0]).isBetween(0.48, 0.52);
        }
    }

    private record Sifted(long[] clicks, long[] sifted, long[] errors) {}

    private static Sifted sift(PhotonSource alice, TimeTagger bob) {
        long[] clicks = new long[3];
        long[] sifted = new long[3];
        long[] errors = new long[3];
        long period = (long) alice.settings().slotPeriodPs();
        TagBatch batch = new TagBatch(1 << 14);
        long[] slots = new long[batch.capacity()];
        byte[] level = new byte[batch.capacity()];
        byte[] basis = new byte[batch.capacity()];
        byte[] bit = new byte[batch.capacity()];
        alice.start();
        bob.start();
        while (true) {
            int n = bob.read(batch);
            int counted = 0;
            while (counted < n && batch.timestampsPs()[counted] < LINK_TIME_PS) {
                slots[counted] = batch.timestampsPs()[counted] / period;
                counted++;
            }
            alice.statesFor(slots, counted, level, basis, bit);
            for (int i = 0; i < counted; i++) {
                int channel = batch.channels()[i];
                clicks[level[i]]++;
                if (channel >> 1 == basis[i]) {
                    sifted[level[i]]++;
                    errors[level[i]] += (channel & 1) ^ bit[i];
                }
            }
            if (batch.completeUpToPs() >= LINK_TIME_PS) {
                break;
            }
            Thread.onSpinWait();
        }
        return new Sifted(clicks, sifted, errors);
    }
}
