package io.hotaru.drivers.picoquant;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.DoubleByReference;
import com.sun.jna.ptr.IntByReference;

/**
 * HHLib v3 ({@code hhlib.h}), transcribed: C names verbatim. Devices are addressed by index 0..7.
 * Negative returns are errors ({@link #HH_GetErrorString}).
 */
public interface HydraHarpLibrary extends Library {

    /** Largest {@code count} for {@link #HH_ReadFiFo}; the smallest is 128. */
    int TTREADMAX = 131_072;

    int HH_GetLibraryVersion(byte[] vers);

    int HH_GetErrorString(byte[] errstring, int errcode);

    int HH_OpenDevice(int devidx, byte[] serial);

    int HH_CloseDevice(int devidx);

    int HH_Initialize(int devidx, int mode, int refsource);

    int HH_GetHardwareInfo(int devidx, byte[] model, byte[] partno, byte[] version);

    int HH_GetNumOfInputChannels(int devidx, IntByReference nchannels);

    int HH_Calibrate(int devidx);

    int HH_SetSyncDiv(int devidx, int div);

    int HH_SetSyncCFD(int devidx, int level, int zerocross);

    int HH_SetSyncChannelOffset(int devidx, int value);

    int HH_SetInputCFD(int devidx, int channel, int level, int zerocross);

    int HH_SetInputChannelOffset(int devidx, int channel, int value);

    int HH_GetResolution(int devidx, DoubleByReference resolution);

    int HH_StartMeas(int devidx, int tacq);

    int HH_StopMeas(int devidx);

    int HH_CTCStatus(int devidx, IntByReference ctcstatus);

    int HH_GetFlags(int devidx, IntByReference flags);

    int HH_GetWarnings(int devidx, IntByReference warnings);

    /** {@code text} must hold 16384 bytes. */
    int HH_GetWarningsText(int devidx, byte[] text, int warnings);

    int HH_GetSyncRate(int devidx, IntByReference syncrate);

    int HH_GetCountRate(int devidx, int channel, IntByReference cntrate);

    int HH_ReadFiFo(int devidx, Pointer buffer, int count, IntByReference nactual);
}
