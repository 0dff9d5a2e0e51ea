package io.hotaru.drivers.picoquant;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.contract.TimeTaggerContract;
import io.hotaru.drivers.jna.PolledTimeTagger;
import java.time.Duration;

class HydraHarpTimeTaggerContractTest extends TimeTaggerContract {

    @Override
    protected TimeTagger open() {
        return new HydraHarpDriverProvider().open(DeviceUri.parse("hydraharp:0?standin=true"), TimeTagger.class);
    }

    @Override
    protected void letTimePass() {
        ((PolledTimeTagger) device).awaitPolls(2, Duration.ofSeconds(5));
    }
}
