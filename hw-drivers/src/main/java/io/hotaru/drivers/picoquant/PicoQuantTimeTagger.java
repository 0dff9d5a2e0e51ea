package io.hotaru.drivers.picoquant;

import com.sun.jna.Memory;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.jna.PolledTimeTagger;
import java.time.Duration;

/**
 * A PicoQuant MultiHarp or HydraHarp in T2 mode as a {@link io.hotaru.drivers.TimeTagger}. The
 * owner thread loops: flags (FIFO full and sync lost are counted losses and alarms) → ReadFiFo into
 * one reused buffer → {@link T2Decoder} → the ring; on an empty read it checks the CTC status.
 */
public final class PicoQuantTimeTagger extends PolledTimeTagger {

    private static final int MAX_MEASUREMENT_MS = 360_000_000; // 100 h

    private final PicoQuantCalls calls;
    private final int idx;
    private final Memory fifo;
    private final int[] words;
    private int inputs;
    private double resolutionPs;
    private T2Decoder decoder;
    private int previousFlags;
    private long initialisedNanos;
    private boolean released;

    PicoQuantTimeTagger(DeviceUri uri, PicoQuantCalls calls, boolean standIn, Duration poll) {
        super(uri.text(), calls.readMax(), 1 << 22, poll);
        this.calls = calls;
        this.idx = parseIndex(uri);
        this.fifo = new Memory(4L * calls.readMax());
        this.words = new int[calls.readMax()];
        try {
            owner.run(() -> init(uri, standIn));
        } catch (RuntimeException e) {
            owner.close(() -> calls.closeDevice(idx));
            throw e;
        }
    }

    private static int parseIndex(DeviceUri uri) {
        try {
            int i = Integer.parseInt(uri.path());
            if (i < 0 || i > 7) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new DeviceException(DeviceException.Code.BAD_URI, uri + ": device index must be 0..7");
        }
    }

    private void init(DeviceUri uri, boolean standIn) {
        String mode = uri.param("mode").orElse("t2");
        if (!mode.equals("t2")) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI,
                    uri + ": only mode=t2 is supported (T3 records decode, but no T3 acquisition yet)");
        }
        String serial = calls.openDevice(idx);
        calls.initialize(idx, PicoQuantCalls.MODE_T2, (int) uri.longParam("ref", 0));
        initialisedNanos = System.nanoTime();
        inputs = calls.inputs(idx);
        calls.syncDivider(idx, (int) uri.longParam("syncdiv", 1));
        calls.syncLevel(idx, (int) uri.longParam("synclevel", calls.defaultLevelMv()));
        calls.syncOffset(idx, (int) uri.longParam("syncoffset", 0));
        long deadTime = uri.longParam("deadtime", -1);
        for (int ch = 0; ch < inputs; ch++) {
            calls.inputLevel(idx, ch, (int) uri.longParam("level", calls.defaultLevelMv()));
            calls.inputOffset(idx, ch, (int) uri.longParam("offset" + ch, 0));
            if (deadTime >= 0 && !calls.deadTime(idx, ch, (int) deadTime)) {
                throw new DeviceException(
                        DeviceException.Code.BAD_URI, uri + ": " + calls.product() + " has no settable dead time");
            }
        }
        resolutionPs = calls.resolutionPs(idx);
        identity(new DeviceIdentity(
                "PicoQuant",
                calls.model(idx),
                serial,
                uri.text(),
                standIn ? DeviceIdentity.Kind.STAND_IN : DeviceIdentity.Kind.HARDWARE));
    }

    @Override
    public int channelCount() {
        return inputs;
    }

    /** Base resolution in ps, as the library reports it. */
    public double resolutionPs() {
        return resolutionPs;
    }

    @Override
    protected void startAcquisition() {
        decoder = new T2Decoder(resolutionPs, inputs);
        previousFlags = 0;
        calls.startMeas(idx, MAX_MEASUREMENT_MS);
    }

    @Override
    protected void stopAcquisition() {
        calls.stopMeas(idx);
    }

    @Override
    protected boolean acquire() {
        int flags = calls.flags(idx);
        int rising = flags & ~previousFlags;
        previousFlags = flags;
        if ((rising & PicoQuantCalls.FLAG_FIFOFULL) != 0) {
            deviceLoss(calls.product() + " FIFO overrun: records lost; this epoch is incomplete");
        }
        if ((rising & PicoQuantCalls.FLAG_CNTS_DROPPED) != 0) {
            deviceLoss(calls.product() + " counts dropped");
        }
        if ((rising & PicoQuantCalls.FLAG_SYNC_LOST) != 0) {
            deviceLoss(calls.product() + " sync lost: " + calls.warnings(idx));
        }
        if ((rising & PicoQuantCalls.FLAG_SYSERROR) != 0) {
            throw new DeviceException(DeviceException.Code.DEVICE_ERROR, calls.product() + " reports a system error");
        }
        int n = calls.readFifo(idx, fifo);
        if (n < 0 || n > words.length) {
            throw new DeviceException(DeviceException.Code.DEVICE_ERROR, calls.product() + " ReadFiFo returned " + n);
        }
        if (n == 0) {
            if (calls.ctcDone(idx)) {
                alarm(calls.product() + " measurement time is over");
            }
            return false;
        }
        recordsRead.addAndGet(n);
        fifo.read(0, words, 0, n);
        long before = decoder.anomalies();
        int out = decoder.decode(words, n, scratchTimesPs, scratchChannels);
        decodeAnomalies.addAndGet(decoder.anomalies() - before);
        deliver(out, decoder.decodedUpToPs());
        return n == words.length;
    }

    @Override
    protected SelfTestResult runSelfTest() {
        // Count rates are valid 150 ms after initialisation.
        long wait = Duration.ofMillis(150).toNanos() - (System.nanoTime() - initialisedNanos);
        if (wait > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
        int flags = calls.flags(idx);
        if ((flags & (PicoQuantCalls.FLAG_SYSERROR | PicoQuantCalls.FLAG_REF_LOST)) != 0) {
            return SelfTestResult.fail(calls.product() + " flags 0x" + Integer.toHexString(flags));
        }
        int sync = calls.syncRate(idx);
        StringBuilder rates = new StringBuilder("sync " + sync + "/s, inputs");
        for (int ch = 0; ch < inputs; ch++) {
            rates.append(' ').append(calls.countRate(idx, ch));
        }
        String warnings = calls.warnings(idx);
        String detail = rates + "/s" + (warnings.isEmpty() ? "" : "; " + warnings);
        return sync > 0 ? SelfTestResult.pass(detail) : SelfTestResult.fail("no sync signal: " + detail);
    }

    @Override
    protected void release() {
        if (!released) {
            released = true;
            try {
                calls.stopMeas(idx);
            } catch (DeviceException e) {
                vendorErrors.incrementAndGet();
            }
            calls.closeDevice(idx);
        }
    }
}
