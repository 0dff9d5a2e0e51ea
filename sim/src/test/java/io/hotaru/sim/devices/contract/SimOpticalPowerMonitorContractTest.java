package io.hotaru.sim.devices.contract;

import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.contract.OpticalPowerMonitorContract;

class SimOpticalPowerMonitorContractTest extends OpticalPowerMonitorContract {

    @Override
    protected OpticalPowerMonitor open() {
        return Drivers.discover().open("sim:monitor?link=ab&seed=42&params=demo", OpticalPowerMonitor.class);
    }
}
