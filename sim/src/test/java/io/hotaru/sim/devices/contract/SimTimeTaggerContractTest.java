package io.hotaru.sim.devices.contract;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.contract.TimeTaggerContract;
import io.hotaru.sim.devices.SimDriverProvider;
import java.util.concurrent.atomic.AtomicLong;

class SimTimeTaggerContractTest extends TimeTaggerContract {

    private final AtomicLong nanos = new AtomicLong();

    @Override
    protected TimeTagger open() {
        return new SimDriverProvider(nanos::get)
                .open(DeviceUri.parse("sim:bob?link=ab&seed=42&params=demo"), TimeTagger.class);
    }

    @Override
    protected void letTimePass() {
        nanos.addAndGet(100_000); // 100 µs of link time: some 50 detections of the demo link
    }
}
