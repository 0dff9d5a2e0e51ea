package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** An attack chosen by URI shows through the device interfaces only, as a monitor would see it. */
class AttackSignatureIT {

    private static final String LINK = "link=ab&seed=42&params=demo";

    @Test
    void interceptResendShowsAsAQuarterOfSiftedErrors() {
        AtomicLong nanos = new AtomicLong();
        SimDriverProvider sim = new SimDriverProvider(nanos::get);
        String q = LINK + "&eve=intercept-resend:1.0";
        try (PhotonSource alice = sim.open(DeviceUri.parse("sim:alice?" + q), PhotonSource.class);
                TimeTagger bob = sim.open(DeviceUri.parse("sim:bob?" + q), TimeTagger.class)) {
            bob.start();
            nanos.addAndGet(200_000_000L); // 0.2 s of link time
            TagBatch batch = new TagBatch(1 << 16);
            long period = (long) alice.settings().slotPeriodPs();
            long sifted = 0;
            long errors = 0;
            long[] slot = new long[batch.capacity()];
            byte[] level = new byte[slot.length];
            byte[] basis = new byte[slot.length];
            byte[] bit = new byte[slot.length];
            int n;
            while ((n = bob.read(batch)) > 0) {
                for (int i = 0; i < n; i++) {
                    slot[i] = Math.round((double) batch.timestampsPs()[i] / period);
                }
                alice.statesFor(slot, n, level, basis, bit);
                for (int i = 0; i < n; i++) {
                    int ch = batch.channels()[i];
                    if (level[i] != 2 && (ch >> 1) == basis[i]) {
                        sifted++;
                        errors += (ch & 1) ^ bit[i];
                    }
                }
            }
            assertThat((double) errors / sifted).isCloseTo(0.25, within(0.01));
        }
    }

    @Test
    void blindedDetectorsMissTheirSelfTestPulsesAndDrawPhotocurrent() {
        try (DetectorControl d =
                Drivers.discover().open("sim:detectors?" + LINK + "&eve=blinding", DetectorControl.class)) {
            assertThat(d.fireSelfTestPulses(1000).detected()).containsOnly(0);
            assertThat(d.status().photocurrentsUa()[0]).isGreaterThan(10);
            assertThat(d.selfTest().passed()).isFalse();
            assertThat(d.health().state()).isEqualTo(DeviceHealth.State.DEGRADED);
        }
    }

    @Test
    void trojanProbingRaisesTheMonitorReading() {
        Drivers drivers = Drivers.discover();
        try (OpticalPowerMonitor quiet = drivers.open("sim:monitor?" + LINK, OpticalPowerMonitor.class);
                OpticalPowerMonitor probed =
                        drivers.open("sim:monitor?" + LINK + "&eve=trojan:1e-6", OpticalPowerMonitor.class)) {
            assertThat(quiet.read().watts()).isLessThan(1e-11);
            assertThat(probed.read().watts()).isCloseTo(1e-6, within(1e-9));
        }
    }

    @Test
    void anUnknownAttackIsABadUriNamingTheParameter() {
        assertThatThrownBy(() -> Drivers.discover().open("sim:bob?" + LINK + "&eve=mitm", TimeTagger.class))
                .isInstanceOf(DeviceException.class)
                .hasMessageContaining("parameter 'eve'")
                .hasMessageContaining("unknown attack 'mitm'");
    }
}
