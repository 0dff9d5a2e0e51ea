package io.hotaru.drivers.picoquant;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;

/**
 * MHLib ({@code mhlib.h}), transcribed: C names verbatim. Devices are addressed by index 0..7, so
 * there is no opaque handle. Negative returns are errors ({@link #MH_GetErrorString}).
 */
public interface MultiHarpLibrary extends Library {

    /** Words {@link #MH_ReadFiFo} may write (MHLib 2.0 and later). */
    int TTREADMAX = 1_048_576;

    int MH_GetLibraryVersion(byte[] vers);

    int MH_GetErrorString(byte[] errstring, int errcode);

    int MH_OpenDevice(int devidx, byte[] serial);

    int MH_CloseDevice(int devidx);

    int MH_Initialize(int devidx, int mode, int refsource);

    int MH_GetHardwareInfo(int devidx, byte[] model, byte[] partno, byte[] version);

    int MH_GetNumOfInputChannels(int devidx, IntByReference nchannels);

    int MH_SetSyncDiv(int devidx, int div);

    int MH_SetSyncEdgeTrg(int devidx, int level, int edge);

    int MH_SetSyncChannelOffset(int devidx, int value);

    int MH_SetInputEdgeTrg(int devidx, int channel, int level, int edge);

    int MH_SetInputChannelOffset(int devidx, int channel, int value);

    int MH_SetInputDeadTime(int devidx, int channel, int on, int deadtime);

    int MH_GetResolution(int devidx, DoubleByReference resolution);

    int MH_StartMeas(int devidx, int tacq);

    int MH_StopMeas(int devidx);

    int MH_CTCStatus(int devidx, IntByReference ctcstatus);

    int MH_GetFlags(int devidx, IntByReference flags);

    int MH_GetWarnings(int devidx, IntByReference warnings);

    /** {@code text} must hold 16384 bytes. */
    int MH_GetWarningsText(int devidx, byte[] text, int warnings);

    int MH_GetSyncRate(int devidx, IntByReference syncrate);

    int MH_GetCountRate(int devidx, int channel, IntByReference cntrate);

    /** {@code buffer} must hold {@link #TTREADMAX} 32-bit words. */
    int MH_ReadFiFo(int devidx, Pointer buffer, IntByReference nactual);
}
