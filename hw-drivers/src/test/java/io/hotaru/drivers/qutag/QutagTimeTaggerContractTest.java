package io.hotaru.drivers.qutag;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.contract.TimeTaggerContract;
import io.hotaru.drivers.jna.PolledTimeTagger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class QutagTimeTaggerContractTest extends TimeTaggerContract {

    @Override
    protected TimeTagger open() {
        return new QutagDriverProvider().open(DeviceUri.parse("qutag:0?standin=true"), TimeTagger.class);
    }

    @Override
    protected void letTimePass() {
        ((PolledTimeTagger) device).awaitPolls(2, Duration.ofSeconds(5));
    }

    @Test
    void coincidenceCountersCountSinglesPerInput() {
        device.start();
        letTimePass();
        int[] counters = ((QutagTimeTagger) device).coincidenceCounters();
        assertThat(counters).hasSize(TdcbaseLibrary.TDC_COINC_CHANNELS);
        assertThat(counters[0]).as("start input, not enabled").isZero();
        assertThat(counters[1] + counters[2] + counters[3] + counters[4]).isPositive();
    }

    @Test
    void identitySaysStandIn() {
        assertThat(device.identity().kind()).isEqualTo(DeviceIdentity.Kind.STAND_IN);
    }
}
