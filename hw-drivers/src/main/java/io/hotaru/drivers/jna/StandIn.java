package io.hotaru.drivers.jna;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import io.hotaru.drivers.DeviceException;

/**
 * Control of a native stand-in through its own exported function {@code hotaru_standin_inject};
 * the vendor function names never carry fault injection.
 */
public final class StandIn {

    private StandIn() {}

    /**
     * Injects {@code fault} into the stand-in of {@code library} for {@code device} (its index; for
     * Quantis the device type, 1 = PCI, 2 = USB).
     */
    public static void inject(VendorLibrary library, int device, StandInFault fault, int arg) {
        NativeLibrary lib = NativeLibrary.getInstance(library.standInFile().getAbsolutePath());
        Function f = lib.getFunction(VendorLibrary.STAND_IN_SYMBOL);
        int rc = f.invokeInt(new Object[] {device, fault.code(), arg});
        if (rc != 0) {
            throw new DeviceException(
                    DeviceException.Code.DEVICE_ERROR, "stand-in refused fault " + fault + " (" + rc + ")");
        }
    }
}
