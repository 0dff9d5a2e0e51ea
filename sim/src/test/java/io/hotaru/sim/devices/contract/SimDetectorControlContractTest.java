package io.hotaru.sim.devices.contract;

import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.contract.DetectorControlContract;

class SimDetectorControlContractTest extends DetectorControlContract {

    @Override
    protected DetectorControl open() {
        return Drivers.discover().open("sim:detectors?link=ab&seed=42&params=demo", DetectorControl.class);
    }
}
