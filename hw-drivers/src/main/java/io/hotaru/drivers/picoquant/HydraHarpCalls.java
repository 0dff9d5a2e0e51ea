package io.hotaru.drivers.picoquant;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;
import io.hotaru.drivers.jna.VendorLibrary;

/** {@link PicoQuantCalls} over {@link HydraHarpLibrary}. */
final class HydraHarpCalls extends PicoQuantCalls {

    static final VendorLibrary LIBRARY = new VendorLibrary("PicoQuant HydraHarp", "hhlib");

    private final HydraHarpLibrary lib;
    private final boolean standIn;
    private final IntByReference out = new IntByReference();

    HydraHarpCalls(VendorLibrary.Loaded<HydraHarpLibrary> loaded) {
        this.lib = loaded.library();
        this.standIn = loaded.standIn();
    }

    @Override
    boolean standIn() {
        return standIn;
    }

    @Override
    VendorLibrary library() {
        return LIBRARY;
    }

    @Override
    String product() {
        return "PicoQuant HydraHarp";
    }

    @Override
    String openDevice(int idx) {
        byte[] serial = new byte[64];
        check(lib.HH_OpenDevice(idx, serial), "HH_OpenDevice");
        return text(serial);
    }

    @Override
    void closeDevice(int idx) {
        lib.HH_CloseDevice(idx);
    }

    @Override
    void initialize(int idx, int mode, int refsource) {
        byte[] version = new byte[64];
        check(lib.HH_GetLibraryVersion(version), "HH_GetLibraryVersion");
        check(lib.HH_Initialize(idx, mode, refsource), "HH_Initialize");
        afterInitialize(idx);
    }

    @Override
    String model(int idx) {
        byte[] model = new byte[64];
        byte[] part = new byte[64];
        byte[] version = new byte[64];
        check(lib.HH_GetHardwareInfo(idx, model, part, version), "HH_GetHardwareInfo");
        return text(model) + " " + text(version);
    }

    @Override
    int inputs(int idx) {
        check(lib.HH_GetNumOfInputChannels(idx, out), "HH_GetNumOfInputChannels");
        return out.getValue();
    }

    @Override
    void syncDivider(int idx, int div) {
        check(lib.HH_SetSyncDiv(idx, div), "HH_SetSyncDiv");
    }

    @Override
    void syncOffset(int idx, int ps) {
        check(lib.HH_SetSyncChannelOffset(idx, ps), "HH_SetSyncChannelOffset");
    }

    @Override
    void inputOffset(int idx, int channel, int ps) {
        check(lib.HH_SetInputChannelOffset(idx, channel, ps), "HH_SetInputChannelOffset");
    }

    @Override
    double resolutionPs(int idx) {
        DoubleByReference r = new DoubleByReference();
        check(lib.HH_GetResolution(idx, r), "HH_GetResolution");
        return r.getValue();
    }

    @Override
    void startMeas(int idx, int ms) {
        check(lib.HH_StartMeas(idx, ms), "HH_StartMeas");
    }

    @Override
    void stopMeas(int idx) {
        check(lib.HH_StopMeas(idx), "HH_StopMeas");
    }

    @Override
    boolean ctcDone(int idx) {
        check(lib.HH_CTCStatus(idx, out), "HH_CTCStatus");
        return out.getValue() != 0;
    }

    @Override
    int flags(int idx) {
        check(lib.HH_GetFlags(idx, out), "HH_GetFlags");
        return out.getValue();
    }

    @Override
    String warnings(int idx) {
        check(lib.HH_GetWarnings(idx, out), "HH_GetWarnings");
        if (out.getValue() == 0) {
            return "";
        }
        byte[] text = new byte[16384];
        check(lib.HH_GetWarningsText(idx, text, out.getValue()), "HH_GetWarningsText");
        return text(text).replace('\n', ' ');
    }

    @Override
    int syncRate(int idx) {
        check(lib.HH_GetSyncRate(idx, out), "HH_GetSyncRate");
        return out.getValue();
    }

    @Override
    int countRate(int idx, int channel) {
        check(lib.HH_GetCountRate(idx, channel, out), "HH_GetCountRate");
        return out.getValue();
    }

    @Override
    String errorText(int rc) {
        byte[] text = new byte[64];
        lib.HH_GetErrorString(text, rc);
        return text(text);
    }

    private void afterInitialize(int idx) {
        check(lib.HH_Calibrate(idx), "HH_Calibrate");
    }

    @Override
    int defaultLevelMv() {
        return 50;
    }

    @Override
    int readMax() {
        return HydraHarpLibrary.TTREADMAX;
    }

    /** CFD level in mV with a 10 mV zero-cross level. */
    @Override
    void syncLevel(int idx, int levelMv) {
        check(lib.HH_SetSyncCFD(idx, levelMv, 10), "HH_SetSyncCFD");
    }

    @Override
    void inputLevel(int idx, int channel, int levelMv) {
        check(lib.HH_SetInputCFD(idx, channel, levelMv, 10), "HH_SetInputCFD");
    }

    @Override
    boolean deadTime(int idx, int channel, int ps) {
        return false;
    }

    @Override
    int readFifo(int idx, Pointer buffer) {
        check(lib.HH_ReadFiFo(idx, buffer, HydraHarpLibrary.TTREADMAX, out), "HH_ReadFiFo");
        return out.getValue();
    }
}
