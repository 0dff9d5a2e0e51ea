package io.hotaru.drivers.picoquant;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.jna.VendorLibrary;

/**
 * What the T2 adapter needs from a PicoQuant library, over MHLib or HHLib. Every method checks the
 * return code and throws {@link DeviceException} with the library's own error text.
 */
abstract class PicoQuantCalls {

    static final int MODE_T2 = 2;
    static final int FLAG_FIFOFULL = 0x2;
    static final int FLAG_SYNC_LOST = 0x4;
    static final int FLAG_REF_LOST = 0x8;
    static final int FLAG_SYSERROR = 0x10;
    static final int FLAG_CNTS_DROPPED = 0x40;
    static final int ERROR_USB_IO = -20;

    abstract VendorLibrary library();

    abstract String product();

    /** Whether the library loaded is Hotaru's stand-in. */
    abstract boolean standIn();

    /** Words one read may return; the read buffer's size. */
    abstract int readMax();

    abstract String openDevice(int idx);

    abstract void closeDevice(int idx);

    abstract void initialize(int idx, int mode, int refsource);

    abstract String model(int idx);

    abstract int inputs(int idx);

    abstract void syncDivider(int idx, int div);

    /** A sensible default trigger level in mV: negative edge for MultiHarp, positive CFD for HydraHarp. */
    abstract int defaultLevelMv();

    /** Trigger level in mV: an edge trigger on MultiHarp, a CFD on HydraHarp. */
    abstract void syncLevel(int idx, int levelMv);

    abstract void syncOffset(int idx, int ps);

    abstract void inputLevel(int idx, int channel, int levelMv);

    abstract void inputOffset(int idx, int channel, int ps);

    /** Dead time in ps; false when the model has none to set. */
    abstract boolean deadTime(int idx, int channel, int ps);

    abstract double resolutionPs(int idx);

    abstract void startMeas(int idx, int ms);

    abstract void stopMeas(int idx);

    abstract boolean ctcDone(int idx);

    abstract int flags(int idx);

    abstract String warnings(int idx);

    abstract int syncRate(int idx);

    abstract int countRate(int idx, int channel);

    /** Reads the FIFO into {@code buffer}; returns the number of words. */
    abstract int readFifo(int idx, Pointer buffer);

    abstract String errorText(int rc);

    final void check(int rc, String call) {
        if (rc < 0) {
            DeviceException.Code code = rc == ERROR_USB_IO || rc == -1
                    ? DeviceException.Code.NOT_CONNECTED
                    : DeviceException.Code.DEVICE_ERROR;
            throw new DeviceException(code, product() + " " + call + " failed: " + errorText(rc) + " (" + rc + ")");
        }
    }

    static String text(byte[] b) {
        return Native.toString(b).trim();
    }
}
