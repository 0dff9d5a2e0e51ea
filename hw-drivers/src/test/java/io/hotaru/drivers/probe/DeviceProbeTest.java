package io.hotaru.drivers.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.DeviceIdentity;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DeviceProbeTest {

    @Test
    void aTimeTaggerProbeReportsCountsPerChannelAndLossCounters() {
        ProbeReport r = DeviceProbe.run("hydraharp:0?standin=true", Duration.ofMillis(50));
        assertThat(r.identity().kind()).isEqualTo(DeviceIdentity.Kind.STAND_IN);
        assertThat(r.role()).isEqualTo("TimeTagger");
        assertThat(r.selfTest().passed()).as(r.selfTest().detail()).isTrue();
        assertThat(r.countsPerChannel()).hasSize(4);
        assertThat(Arrays.stream(r.countsPerChannel()).sum()).isPositive();
        assertThat(r.stats())
                .hasValueSatisfying(s -> assertThat(s.eventsDropped()).isZero());
    }

    @Test
    void aQrngProbeReportsBytesRead() {
        ProbeReport r = DeviceProbe.run("quantis:usb:0?standin=true", Duration.ofMillis(20));
        assertThat(r.role()).isEqualTo("Qrng");
        assertThat(r.bytesRead()).isPositive();
        assertThat(r.selfTest().passed()).isTrue();
    }
}
