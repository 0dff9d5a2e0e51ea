package io.hotaru.drivers.picoquant;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.contract.TimeTaggerContract;
import io.hotaru.drivers.jna.PolledTimeTagger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MultiHarpTimeTaggerContractTest extends TimeTaggerContract {

    @Override
    protected TimeTagger open() {
        return new MultiHarpDriverProvider()
                .open(DeviceUri.parse("multiharp:0?mode=t2&standin=true&deadtime=800"), TimeTagger.class);
    }

    @Override
    protected void letTimePass() {
        ((PolledTimeTagger) device).awaitPolls(2, Duration.ofSeconds(5));
    }

    @Test
    void identitySaysStandInAndResolutionIsQueried() {
        assertThat(device.identity().kind()).isEqualTo(DeviceIdentity.Kind.STAND_IN);
        assertThat(((PicoQuantTimeTagger) device).resolutionPs()).isEqualTo(5.0);
        assertThat(device.identity().model()).isEqualTo("MultiHarp 150 0.0");
        assertThat(device.identity().serial()).isEqualTo("1000000");
    }
}
