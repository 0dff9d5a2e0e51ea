package io.hotaru.sim.devices.contract;

import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.contract.PolarisationControllerContract;

class SimPolarisationControllerContractTest extends PolarisationControllerContract {

    @Override
    protected PolarisationController open() {
        return Drivers.discover().open("sim:polarisation?link=ab&seed=42&params=demo", PolarisationController.class);
    }
}
