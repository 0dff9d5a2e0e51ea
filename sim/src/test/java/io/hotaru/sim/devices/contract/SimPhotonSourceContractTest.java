package io.hotaru.sim.devices.contract;

import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.contract.PhotonSourceContract;

class SimPhotonSourceContractTest extends PhotonSourceContract {

    @Override
    protected PhotonSource open() {
        return Drivers.discover().open("sim:alice?link=ab&seed=42&params=demo", PhotonSource.class);
    }
}
