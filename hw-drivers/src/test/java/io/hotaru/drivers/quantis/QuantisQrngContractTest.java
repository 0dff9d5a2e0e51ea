package io.hotaru.drivers.quantis;

import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.contract.QrngContract;

class QuantisQrngContractTest extends QrngContract {

    @Override
    protected Qrng open() {
        return new QuantisDriverProvider().open(DeviceUri.parse("quantis:usb:0?standin=true"), Qrng.class);
    }
}
