package io.hotaru.sim.devices.contract;

import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.contract.QrngContract;

class SimQrngContractTest extends QrngContract {

    @Override
    protected Qrng open() {
        return Drivers.discover().open("sim:qrng?seed=7", Qrng.class);
    }
}
