package io.hotaru.drivers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.DetectorSettings;
import io.hotaru.drivers.DetectorStatus;
import io.hotaru.drivers.SelfTestPulses;
import org.junit.jupiter.api.Test;

/** The contract of a {@link DetectorControl}. */
public abstract class DetectorControlContract extends DeviceContract<DetectorControl> {

    @Override
    protected void operate(DetectorControl d) {
        d.status();
    }

    @Test
    void appliedSettingsAreReportedBack() {
        DetectorSettings s = device.settings();
        DetectorSettings changed = new DetectorSettings(
                Math.max(0.01, s.efficiency() / 2), s.gateWidthNs(), s.deadTimeNs() + 10, s.thresholdMv());
        device.apply(changed);
        assertThat(device.settings()).isEqualTo(changed);
        device.apply(s);
        assertThat(device.settings()).isEqualTo(s);
    }

    @Test
    void statusHasOneReadingPerChannel() {
        DetectorStatus st = device.status();
        assertThat(st.channelCount()).isEqualTo(device.channelCount()).isPositive();
        for (double r : st.countRatesHz()) {
            assertThat(r).isNotNegative();
        }
    }

    @Test
    void healthyDetectorsSeeTheirSelfTestPulses() {
        SelfTestPulses p = device.fireSelfTestPulses(1000);
        assertThat(p.sent()).isEqualTo(1000);
        for (int c = 0; c < device.channelCount(); c++) {
            assertThat(p.fraction(c)).as("channel %d", c).isGreaterThan(p.expectedFraction() / 2);
        }
    }
}
