package io.hotaru.drivers.qutag;

import com.sun.jna.Library;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;

/**
 * The quTAG library ({@code tdcbase.h}), transcribed: C names verbatim. The single-device API keeps
 * its handle inside the library, so there is no opaque handle type. Return codes: 0 = success,
 * anything else an error ({@link #TDC_perror}).
 */
public interface TdcbaseLibrary extends Library {

    int TDC_Ok = 0;
    /** Returned by {@code TDC_init} without a device: the library then runs in demo mode. */
    int TDC_NotConnected = 2;

    int TDC_COINC_CHANNELS = 31;

    int TDC_init(int deviceId);

    int TDC_deInit();

    double TDC_getTimebase();

    int TDC_getDevType();

    int TDC_enableChannels(int channelMask);

    int TDC_setTimestampBufferSize(int size);

    int TDC_getTimestampBufferSize(IntByReference size);

    int TDC_setChannelDelay(int channel, int delay);

    int TDC_setDeadTime(int channel, int deadTime);

    int TDC_configureSelftest(int channelMask, int period, int burstSize, int burstDist);

    int TDC_getDataLost(IntByReference lost);

    /** {@code timestamps}: int64[buffer size]; {@code channels}: uint8[buffer size]. */
    int TDC_getLastTimestamps(int reset, Pointer timestamps, Pointer channels, IntByReference valid);

    /** {@code data}: int32[TDC_COINC_CHANNELS]. */
    int TDC_getCoincCounters(int[] data, IntByReference updates);

    String TDC_perror(int rc);
}
