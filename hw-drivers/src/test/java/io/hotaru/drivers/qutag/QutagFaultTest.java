package io.hotaru.drivers.qutag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.jna.PolledTimeTagger;
import io.hotaru.drivers.jna.StandIn;
import io.hotaru.drivers.jna.StandInFault;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QutagFaultTest {

    private static final DeviceUri URI = DeviceUri.parse("qutag:0?standin=true");

    @AfterEach
    void clearFaults() {
        StandIn.inject(QutagTimeTagger.LIBRARY, 0, StandInFault.CLEAR, 0);
    }

    private static TimeTagger open() {
        return new QutagDriverProvider().open(URI, TimeTagger.class);
    }

    @Test
    void notConnectedAtInitIsFatalAndLeavesTheLibraryUsable() {
        StandIn.inject(QutagTimeTagger.LIBRARY, 0, StandInFault.NOT_CONNECTED, 0);
        assertThatThrownBy(QutagFaultTest::open).isInstanceOfSatisfying(DeviceException.class, e -> {
            assertThat(e.code()).isEqualTo(DeviceException.Code.NOT_CONNECTED);
            assertThat(e.getMessage()).contains("not connected").contains("demo mode");
        });
        try (TimeTagger t = open()) {
            assertThat(t.selfTest().passed()).isTrue();
        }
    }

    @Test
    void dataLossFlagsTheBatchCountsAndRaisesAnAlarm() {
        try (TimeTagger t = open()) {
            PolledTimeTagger p = (PolledTimeTagger) t;
            t.start();
            p.awaitPolls(2, Duration.ofSeconds(5));
            t.read(new TagBatch(1 << 20));
            StandIn.inject(QutagTimeTagger.LIBRARY, 0, StandInFault.DATA_LOST, 1000);
            p.awaitPolls(2, Duration.ofSeconds(5));
            TagBatch batch = new TagBatch(1 << 20);
            t.read(batch);
            assertThat(batch.dataLost()).isTrue();
            assertThat(p.acquisitionStats().deviceLossReports()).isEqualTo(1);
            assertThat(t.health().state()).isEqualTo(DeviceHealth.State.DEGRADED);
            assertThat(t.health().detail()).contains("data loss");
        }
    }

    @Test
    void unplugDuringAcquisitionFailsReadsAndHealthWithoutKillingTheOwner() {
        try (TimeTagger t = open()) {
            PolledTimeTagger p = (PolledTimeTagger) t;
            t.start();
            p.awaitPolls(2, Duration.ofSeconds(5));
            StandIn.inject(QutagTimeTagger.LIBRARY, 0, StandInFault.UNPLUGGED, 0);
            p.awaitPolls(2, Duration.ofSeconds(5));
            TagBatch batch = new TagBatch(1 << 20);
            // Whatever was acquired before the fault is still delivered, then reads fail.
            assertThatThrownBy(() -> {
                        while (true) {
                            t.read(batch);
                        }
                    })
                    .isInstanceOfSatisfying(
                            DeviceException.class,
                            e -> assertThat(e.code()).isEqualTo(DeviceException.Code.NOT_CONNECTED));
            assertThat(t.health().state()).isEqualTo(DeviceHealth.State.FAILED);
            assertThat(p.acquisitionStats().vendorErrors()).isPositive();
            assertThat(t.selfTest().passed()).isFalse();
        }
    }
}
