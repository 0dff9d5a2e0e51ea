package io.hotaru.drivers.picoquant;

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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PicoQuantFaultTest {

    private TimeTagger tagger;
    private PolledTimeTagger polled;

    @BeforeEach
    void open() {
        tagger = new MultiHarpDriverProvider().open(DeviceUri.parse("multiharp:1?standin=true"), TimeTagger.class);
        polled = (PolledTimeTagger) tagger;
        tagger.start();
        polled.awaitPolls(2, Duration.ofSeconds(5));
        tagger.read(new TagBatch(1 << 22));
    }

    @AfterEach
    void close() {
        StandIn.inject(MultiHarpCalls.LIBRARY, 1, StandInFault.CLEAR, 0);
        tagger.close();
    }

    private TagBatch afterFault(StandInFault fault, int arg) {
        StandIn.inject(MultiHarpCalls.LIBRARY, 1, fault, arg);
        polled.awaitPolls(3, Duration.ofSeconds(5));
        TagBatch batch = new TagBatch(1 << 22);
        tagger.read(batch);
        return batch;
    }

    @Test
    void fifoOverflowIsACountedLossAndAnAlarm() {
        assertThat(afterFault(StandInFault.FIFO_OVERFLOW, 5000).dataLost()).isTrue();
        assertThat(polled.acquisitionStats().deviceLossReports()).isEqualTo(1);
        assertThat(tagger.health().state()).isEqualTo(DeviceHealth.State.DEGRADED);
        assertThat(tagger.health().detail()).contains("FIFO overrun");
    }

    @Test
    void syncLostIsACountedLossAndAnAlarmWithTheDeviceWarning() {
        assertThat(afterFault(StandInFault.SYNC_LOST, 3).dataLost()).isTrue();
        assertThat(polled.acquisitionStats().deviceLossReports()).isEqualTo(1);
        assertThat(tagger.health().detail()).contains("sync lost").contains("Sync rate is zero");
    }

    @Test
    void shortReadsLoseNothing() {
        TagBatch batch = afterFault(StandInFault.SHORT_READ, 3);
        assertThat(batch.dataLost()).isFalse();
        assertThat(polled.acquisitionStats().deviceLossReports()).isZero();
        assertThat(tagger.health().state()).isEqualTo(DeviceHealth.State.OK);
    }

    @Test
    void unpluggedFailsReadsHealthAndSelfTest() {
        StandIn.inject(MultiHarpCalls.LIBRARY, 1, StandInFault.UNPLUGGED, 0);
        polled.awaitPolls(3, Duration.ofSeconds(5));
        TagBatch batch = new TagBatch(1 << 22);
        // Whatever was acquired before the fault is still delivered, then reads fail.
        assertThatThrownBy(() -> {
                    while (true) {
                        tagger.read(batch);
                    }
                })
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.code()).isEqualTo(DeviceException.Code.NOT_CONNECTED));
        assertThat(tagger.health().state()).isEqualTo(DeviceHealth.State.FAILED);
        assertThat(polled.acquisitionStats().vendorErrors()).isPositive();
        assertThat(tagger.selfTest().passed()).isFalse();
    }

    @Test
    void aSlowConsumerCostsCountedDropsNeverABlockedOwner() {
        StandIn.inject(MultiHarpCalls.LIBRARY, 1, StandInFault.EVENTS_PER_READ, MultiHarpLibrary.TTREADMAX);
        long polls = polled.acquisitionStats().recordsRead();
        polled.awaitPolls(12, Duration.ofSeconds(20));
        var stats = polled.acquisitionStats();
        assertThat(stats.recordsRead()).isGreaterThan(polls + 5L * MultiHarpLibrary.TTREADMAX);
        assertThat(stats.eventsDropped()).isPositive();
        TagBatch batch = new TagBatch(16);
        tagger.read(batch);
        assertThat(batch.dataLost()).isTrue();
    }
}
