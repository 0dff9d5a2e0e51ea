package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.TimeTagger;
import org.junit.jupiter.api.Test;

class SimDriverProviderTest {

    private final Drivers drivers = Drivers.discover();

    @Test
    void isFoundThroughServiceLoader() {
        assertThat(drivers.providers()).anySatisfy(p -> {
            assertThat(p.scheme()).isEqualTo("sim");
            assertThat(p.roles())
                    .containsExactlyInAnyOrder(
                            PhotonSource.class,
                            TimeTagger.class,
                            Qrng.class,
                            io.hotaru.drivers.DetectorControl.class,
                            io.hotaru.drivers.PolarisationController.class,
                            io.hotaru.drivers.OpticalPowerMonitor.class,
                            io.hotaru.drivers.ClockReference.class);
            assertThat(p.availability().available()).isTrue();
        });
    }

    @Test
    void opensEachRoleAsASimulatedDeviceWhoseSelfTestPasses() {
        try (PhotonSource alice =
                        drivers.open("sim:alice?link=ab&seed=42&params=demo&distance_km=25", PhotonSource.class);
                TimeTagger bob = drivers.open("sim:bob?link=ab&seed=42&params=demo&distance_km=25", TimeTagger.class);
                Qrng qrng = drivers.open("sim:qrng?seed=7", Qrng.class)) {
            for (var device : java.util.List.of(alice, bob, qrng)) {
                assertThat(device.identity().kind()).isEqualTo(DeviceIdentity.Kind.SIMULATED);
                assertThat(device.identity().vendor()).isEqualTo("Hotaru");
                var result = device.selfTest();
                assertThat(result.passed()).as(result.detail()).isTrue();
                assertThat(result.detail()).doesNotContain("\n").isNotBlank();
            }
            assertThat(alice.settings().repetitionRateHz()).isEqualTo(1e8);
            assertThat(alice.settings().slotPeriodPs()).isEqualTo(10_000);
            assertThat(bob.channelCount()).isEqualTo(4);
            assertThat(qrng.identity().model()).contains("simulated");
        }
    }

    @Test
    void aDeviceOpenedInTheWrongRoleIsRefused() {
        assertThatThrownBy(() -> drivers.open("sim:alice?link=ab&seed=42", TimeTagger.class))
                .isInstanceOfSatisfying(
                        DeviceException.class,
                        e -> assertThat(e.code()).isEqualTo(DeviceException.Code.UNSUPPORTED_ROLE))
                .hasMessageContaining("PhotonSource");
    }

    @Test
    void unknownDevicesAndParametersAreBadUris() {
        assertBadUri(() -> drivers.open("sim:carol?link=ab&seed=42", PhotonSource.class), "carol");
        assertBadUri(() -> drivers.open("sim:qrng?seed=7&rate_hz=5", Qrng.class), "'rate_hz'");
        assertBadUri(() -> drivers.open("sim:qrng", Qrng.class), "'seed'");
        assertBadUri(() -> drivers.open("sim:alice?link=ab&seed=42&params=lab", PhotonSource.class), "'params'");
    }

    @Test
    void closedDevicesSaySo() {
        TimeTagger bob = drivers.open("sim:bob?link=ab&seed=42", TimeTagger.class);
        bob.close();
        bob.close();
        assertThat(bob.selfTest().passed()).isFalse();
        assertThatThrownBy(bob::start)
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.code()).isEqualTo(DeviceException.Code.CLOSED));
        Qrng qrng = drivers.open("sim:qrng?seed=1", Qrng.class);
        qrng.close();
        assertThatThrownBy(() -> qrng.nextBytes(new byte[1])).isInstanceOf(DeviceException.class);
    }

    private static void assertBadUri(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String fragment) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.code()).isEqualTo(DeviceException.Code.BAD_URI))
                .hasMessageContaining(fragment);
    }
}
