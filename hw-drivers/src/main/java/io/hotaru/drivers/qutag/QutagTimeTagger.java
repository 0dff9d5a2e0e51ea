package io.hotaru.drivers.qutag;

import com.sun.jna.Memory;
import com.sun.jna.ptr.IntByReference;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.jna.PolledTimeTagger;
import io.hotaru.drivers.jna.VendorLibrary;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A quTAG as a {@link io.hotaru.drivers.TimeTagger}: inputs 1..4 are SPI channels 0..3; the start
 * input and markers are read but not delivered. Timestamps are converted from the library's
 * timebase (queried) to picoseconds. "Not connected" at init is fatal: the library would otherwise
 * run in demo mode and invent data.
 */
public final class QutagTimeTagger extends PolledTimeTagger {

    static final VendorLibrary LIBRARY = new VendorLibrary("qutools quTAG", "tdcbase");
    private static final int INPUT_MASK = 0b11110;
    private static final AtomicBoolean IN_USE = new AtomicBoolean();

    private final TdcbaseLibrary lib;
    private final int bufferSize;
    private final Memory timestamps;
    private final Memory channels;
    private final long[] rawTimes;
    private final byte[] rawChannels;
    private final IntByReference valid = new IntByReference();
    private final IntByReference lost = new IntByReference();
    private QutagDecoder decoder;
    private boolean released;

    QutagTimeTagger(DeviceUri uri, TdcbaseLibrary lib, boolean standIn, int bufferSize, Duration poll) {
        super(uri.text(), bufferSize, 1 << 20, poll);
        this.lib = lib;
        this.bufferSize = bufferSize;
        this.timestamps = new Memory(8L * bufferSize);
        this.channels = new Memory(bufferSize);
        this.rawTimes = new long[bufferSize];
        this.rawChannels = new byte[bufferSize];
        if (!IN_USE.compareAndSet(false, true)) {
            owner.close();
            throw new DeviceException(
                    DeviceException.Code.DEVICE_ERROR,
                    uri + ": the quTAG library serves one device per process and it is already open");
        }
        try {
            owner.run(() -> init(uri, standIn));
        } catch (RuntimeException e) {
            owner.close();
            IN_USE.set(false);
            throw e;
        }
    }

    private void init(DeviceUri uri, boolean standIn) {
        int device = (int) uri.longParam("device", Long.parseLong(uri.path().isEmpty() ? "-1" : uri.path()));
        int rc = lib.TDC_init(device);
        if (rc == TdcbaseLibrary.TDC_NotConnected) {
            lib.TDC_deInit();
            throw new DeviceException(
                    DeviceException.Code.NOT_CONNECTED,
                    uri + ": quTAG not connected (" + lib.TDC_perror(rc)
                            + "); refusing the library's demo mode: check the USB cable and power");
        }
        check(rc, "TDC_init");
        decoder = new QutagDecoder(lib.TDC_getTimebase() * 1e12);
        check(lib.TDC_setTimestampBufferSize(bufferSize), "TDC_setTimestampBufferSize");
        check(lib.TDC_enableChannels(INPUT_MASK), "TDC_enableChannels");
        long deadTimePs = uri.longParam("deadtime", -1);
        for (int ch = 1; ch <= 4; ch++) {
            check(lib.TDC_setChannelDelay(ch, (int) uri.longParam("delay" + ch, 0)), "TDC_setChannelDelay");
            if (deadTimePs >= 0) {
                check(lib.TDC_setDeadTime(ch, (int) deadTimePs), "TDC_setDeadTime");
            }
        }
        identity(new DeviceIdentity(
                "qutools",
                "quTAG (type " + lib.TDC_getDevType() + ")",
                "unknown",
                uri.text(),
                standIn ? DeviceIdentity.Kind.STAND_IN : DeviceIdentity.Kind.HARDWARE));
    }

    @Override
    public int channelCount() {
        return 4;
    }

    @Override
    protected void startAcquisition() {
        // Empty the library's buffer so the stream starts now.
        check(lib.TDC_getLastTimestamps(1, timestamps, channels, valid), "TDC_getLastTimestamps");
        check(lib.TDC_getDataLost(lost), "TDC_getDataLost");
    }

    @Override
    protected void stopAcquisition() {}

    @Override
    protected boolean acquire() {
        check(lib.TDC_getLastTimestamps(1, timestamps, channels, valid), "TDC_getLastTimestamps");
        check(lib.TDC_getDataLost(lost), "TDC_getDataLost");
        if (lost.getValue() != 0) {
            deviceLoss("quTAG reported data loss (buffer overrun); this epoch is incomplete");
        }
        int n = Math.min(valid.getValue(), bufferSize);
        recordsRead.addAndGet(n);
        timestamps.read(0, rawTimes, 0, n);
        channels.read(0, rawChannels, 0, n);
        long before = decoder.anomalies();
        int out = decoder.decode(rawTimes, rawChannels, n, scratchTimesPs, scratchChannels);
        decodeAnomalies.addAndGet(decoder.anomalies() - before);
        deliver(out, decoder.lastPs());
        return n == bufferSize;
    }

    @Override
    protected SelfTestResult runSelfTest() {
        // Internal test signal on inputs 1..4: period 20 x 5 ns, bursts of 10, 20 x 20 ns apart.
        check(lib.TDC_configureSelftest(INPUT_MASK, 20, 10, 20), "TDC_configureSelftest");
        int[] seen = new int[5];
        try {
            check(lib.TDC_getLastTimestamps(1, timestamps, channels, valid), "TDC_getLastTimestamps");
            long deadline = System.nanoTime() + Duration.ofMillis(500).toNanos();
            do {
                check(lib.TDC_getLastTimestamps(1, timestamps, channels, valid), "TDC_getLastTimestamps");
                int n = Math.min(valid.getValue(), bufferSize);
                channels.read(0, rawChannels, 0, n);
                for (int i = 0; i < n; i++) {
                    int ch = rawChannels[i] & 0xFF;
                    if (ch < seen.length) {
                        seen[ch]++;
                    }
                }
            } while (!allInputsSeen(seen) && System.nanoTime() < deadline);
        } finally {
            check(lib.TDC_configureSelftest(0, 20, 10, 20), "TDC_configureSelftest");
        }
        String counts =
                "self-test signal counts on inputs 1..4: " + seen[1] + ", " + seen[2] + ", " + seen[3] + ", " + seen[4];
        return allInputsSeen(seen) ? SelfTestResult.pass(counts) : SelfTestResult.fail(counts);
    }

    private static boolean allInputsSeen(int[] seen) {
        return seen[1] > 0 && seen[2] > 0 && seen[3] > 0 && seen[4] > 0;
    }

    /** The coincidence counters (singles first), read on the owner thread. */
    public int[] coincidenceCounters() {
        checkOpen();
        return owner.call(() -> {
            int[] data = new int[TdcbaseLibrary.TDC_COINC_CHANNELS];
            check(lib.TDC_getCoincCounters(data, new IntByReference()), "TDC_getCoincCounters");
            return data;
        });
    }

    @Override
    protected void release() {
        if (!released) {
            released = true;
            lib.TDC_deInit();
            IN_USE.set(false);
        }
    }

    private void check(int rc, String call) {
        if (rc != TdcbaseLibrary.TDC_Ok) {
            vendorErrors.incrementAndGet();
            DeviceException.Code code = rc == TdcbaseLibrary.TDC_NotConnected
                    ? DeviceException.Code.NOT_CONNECTED
                    : DeviceException.Code.DEVICE_ERROR;
            throw new DeviceException(code, "quTAG " + call + " failed: " + lib.TDC_perror(rc) + " (" + rc + ")");
        }
    }
}
