package io.hotaru.drivers.quantis;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.PointerType;
import com.sun.jna.ptr.PointerByReference;
import io.hotaru.drivers.jna.SizeT;

/**
 * The Quantis library ({@code Quantis.h}), transcribed: C names verbatim. Devices are addressed by
 * (type, number); the handle API uses the opaque {@link QuantisDeviceHandle}. Negative returns are
 * errors ({@link #QuantisStrError}).
 */
public interface QuantisLibrary extends Library {

    int QUANTIS_DEVICE_PCI = 1;
    int QUANTIS_DEVICE_USB = 2;
    int QUANTIS_SUCCESS = 0;
    int QUANTIS_ERROR_NO_DEVICE = -108;
    int QUANTIS_MAX_READ_SIZE = 16 * 1024 * 1024;

    /** {@code QuantisDeviceHandle*}: opaque. */
    final class QuantisDeviceHandle extends PointerType {
        public QuantisDeviceHandle() {}

        public QuantisDeviceHandle(Pointer p) {
            super(p);
        }
    }

    int QuantisCount(int deviceType);

    int QuantisGetModulesMask(int deviceType, int deviceNumber);

    int QuantisGetModulesStatus(int deviceType, int deviceNumber);

    int QuantisGetModulesDataRate(int deviceType, int deviceNumber);

    String QuantisGetSerialNumber(int deviceType, int deviceNumber);

    int QuantisGetAis31StartupTestsRequestFlag(int deviceType, int deviceNumber);

    int QuantisClearAis31StartupTestsRequestFlag(int deviceType, int deviceNumber);

    String QuantisStrError(int errorNumber);

    int QuantisRead(int deviceType, int deviceNumber, Pointer buffer, SizeT size);

    /** {@code deviceHandle}: receives a {@code QuantisDeviceHandle*}. */
    int QuantisOpen(int deviceType, int deviceNumber, PointerByReference deviceHandle);

    int QuantisReadHandled(QuantisDeviceHandle deviceHandle, Pointer buffer, SizeT size);

    void QuantisClose(QuantisDeviceHandle deviceHandle);
}
