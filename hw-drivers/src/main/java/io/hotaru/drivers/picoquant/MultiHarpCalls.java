package io.hotaru.drivers.picoquant;

import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;
import io.hotaru.drivers.jna.VendorLibrary;

/** {@link PicoQuantCalls} over {@link MultiHarpLibrary}. */
final class MultiHarpCalls extends PicoQuantCalls {

    static final VendorLibrary LIBRARY = new VendorLibrary("PicoQuant MultiHarp", "mhlib");

    private final MultiHarpLibrary lib;
    private final boolean standIn;
    private final IntByReference out = new IntByReference();

    MultiHarpCalls(VendorLibrary.Loaded<MultiHarpLibrary> loaded) {
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
        return "PicoQuant MultiHarp";
    }

    @Override
    String openDevice(int idx) {
        byte[] serial = new byte[64];
        check(lib.MH_OpenDevice(idx, serial), "MH_OpenDevice");
        return text(serial);
    }

    @Override
    void closeDevice(int idx) {
        lib.MH_CloseDevice(idx);
    }

    @Override
    void initialize(int idx, int mode, int refsource) {
        byte[] version = new byte[64];
        check(lib.MH_GetLibraryVersion(version), "MH_GetLibraryVersion");
        check(lib.MH_Initialize(idx, mode, refsource), "MH_Initialize");
        afterInitialize(idx);
    }

    @Override
    String model(int idx) {
        byte[] model = new byte[64];
        byte[] part = new byte[64];
        byte[] version = new byte[64];
        check(lib.MH_GetHardwareInfo(idx, model, part, version), "MH_GetHardwareInfo");
        return text(model) + " " + text(version);
    }

    @Override
    int inputs(int idx) {
        check(lib.MH_GetNumOfInputChannels(idx, out), "MH_GetNumOfInputChannels");
        return out.getValue();
    }

    @Override
    void syncDivider(int idx, int div) {
        check(lib.MH_SetSyncDiv(idx, div), "MH_SetSyncDiv");
    }

    @Override
    void syncOffset(int idx, int ps) {
        check(lib.MH_SetSyncChannelOffset(idx, ps), "MH_SetSyncChannelOffset");
    }

    @Override
    void inputOffset(int idx, int channel, int ps) {
        check(lib.MH_SetInputChannelOffset(idx, channel, ps), "MH_SetInputChannelOffset");
    }

    @Override
    double resolutionPs(int idx) {
        DoubleByReference r = new DoubleByReference();
        check(lib.MH_GetResolution(idx, r), "MH_GetResolution");
        return r.getValue();
    }

    @Override
    void startMeas(int idx, int ms) {
        check(lib.MH_StartMeas(idx, ms), "MH_StartMeas");
    }

    @Override
    void stopMeas(int idx) {
        check(lib.MH_StopMeas(idx), "MH_StopMeas");
    }

    @Override
    boolean ctcDone(int idx) {
        check(lib.MH_CTCStatus(idx, out), "MH_CTCStatus");
        return out.getValue() != 0;
    }

    @Override
    int flags(int idx) {
        check(lib.MH_GetFlags(idx, out), "MH_GetFlags");
        return out.getValue();
    }

    @Override
    String warnings(int idx) {
        check(lib.MH_GetWarnings(idx, out), "MH_GetWarnings");
        if (out.getValue() == 0) {
            return "";
        }
        byte[] text = new byte[16384];
        check(lib.MH_GetWarningsText(idx, text, out.getValue()), "MH_GetWarningsText");
        return text(text).replace('\n', ' ');
    }

    @Override
    int syncRate(int idx) {
        check(lib.MH_GetSyncRate(idx, out), "MH_GetSyncRate");
        return out.getValue();
    }

    @Override
    int countRate(int idx, int channel) {
        check(lib.MH_GetCountRate(idx, channel, out), "MH_GetCountRate");
        return out.getValue();
    }

    @Override
    String errorText(int rc) {
        byte[] text = new byte[64];
        lib.MH_GetErrorString(text, rc);
        return text(text);
    }

    private void afterInitialize(int idx) {}

    @Override
    int defaultLevelMv() {
        return -50;
    }

    @Override
    int readMax() {
        return MultiHarpLibrary.TTREADMAX;
    }

    @Override
    void syncLevel(int idx, int levelMv) {
        check(lib.MH_SetSyncEdgeTrg(idx, levelMv, 0), "MH_SetSyncEdgeTrg");
    }

    @Override
    void inputLevel(int idx, int channel, int levelMv) {
        check(lib.MH_SetInputEdgeTrg(idx, channel, levelMv, 0), "MH_SetInputEdgeTrg");
    }

    @Override
    boolean deadTime(int idx, int channel, int ps) {
        check(lib.MH_SetInputDeadTime(idx, channel, 1, ps), "MH_SetInputDeadTime");
        return true;
    }

    @Override
    int readFifo(int idx, Pointer buffer) {
        check(lib.MH_ReadFiFo(idx, buffer, out), "MH_ReadFiFo");
        return out.getValue();
    }
}
