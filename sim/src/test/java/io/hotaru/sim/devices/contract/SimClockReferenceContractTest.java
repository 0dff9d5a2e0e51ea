package io.hotaru.sim.devices.contract;

import io.hotaru.drivers.ClockReference;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.contract.ClockReferenceContract;

class SimClockReferenceContractTest extends ClockReferenceContract {

    @Override
    protected ClockReference open() {
        return Drivers.discover().open("sim:clock?link=ab&seed=42&params=demo", ClockReference.class);
    }
}
