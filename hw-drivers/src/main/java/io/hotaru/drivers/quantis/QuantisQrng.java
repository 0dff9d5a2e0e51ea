package io.hotaru.drivers.quantis;

import com.sun.jna.Memory;
import com.sun.jna.ptr.PointerByReference;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.jna.AcquisitionStats;
import io.hotaru.drivers.jna.LossReporting;
import io.hotaru.drivers.jna.OwnerThread;
import io.hotaru.drivers.jna.SizeT;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A Quantis as a {@link Qrng}. One owner thread holds the handle and reads in chunks into one
 * reused buffer; before each request it requires module status == module mask, and when the device
 * asks for its AIS-31 start-up tests it runs the start-up tests before delivering anything.
 */
public final class QuantisQrng implements Qrng, LossReporting {

    private final QuantisLibrary lib;
    private final OwnerThread owner;
    private final int type;
    private final int number;
    private final Memory chunk;
    private final QuantisLibrary.QuantisDeviceHandle handle;
    private final DeviceIdentity identity;
    private final int mask;
    private final AtomicLong bytesRead = new AtomicLong();
    private final AtomicLong shortReads = new AtomicLong();
    private final AtomicLong vendorErrors = new AtomicLong();
    private final AtomicLong startupTestRuns = new AtomicLong();
    private volatile String alarm = "";
    private volatile boolean closed;

    QuantisQrng(DeviceUri uri, QuantisLibrary lib, boolean standIn, int type, int number, int chunkBytes) {
        this.lib = lib;
        this.type = type;
        this.number = number;
        this.chunk = new Memory(chunkBytes);
        this.owner = new OwnerThread(uri.text(), Duration.ofMillis(100));
        try {
            this.mask = owner.call(() -> check(lib.QuantisGetModulesMask(type, number), "QuantisGetModulesMask"));
            String serial = owner.call(() -> lib.QuantisGetSerialNumber(type, number));
            this.handle = owner.call(() -> {
                PointerByReference ref = new PointerByReference();
                check(lib.QuantisOpen(type, number, ref), "QuantisOpen");
                return new QuantisLibrary.QuantisDeviceHandle(ref.getValue());
            });
            this.identity = new DeviceIdentity(
                    "ID Quantique",
                    "Quantis " + (type == QuantisLibrary.QUANTIS_DEVICE_PCI ? "PCI" : "USB"),
                    serial == null || serial.isEmpty() ? "unknown" : serial,
                    uri.text(),
                    standIn ? DeviceIdentity.Kind.STAND_IN : DeviceIdentity.Kind.HARDWARE);
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    @Override
    public void nextBytes(byte[] out) {
        if (closed) {
            throw new DeviceException(DeviceException.Code.CLOSED, identity.uri() + " is closed");
        }
        owner.run(() -> fill(out));
    }

    private void fill(byte[] out) {
        requireModulesWorking();
        if (check(lib.QuantisGetAis31StartupTestsRequestFlag(type, number), "QuantisGetAis31StartupTestsRequestFlag")
                != 0) {
            String why = runStartupTests();
            if (!why.isEmpty()) {
                alarm = "start-up tests failed: " + why;
                throw new DeviceException(DeviceException.Code.DEVICE_ERROR, identity.uri() + ": " + alarm);
            }
        }
        int off = 0;
        while (off < out.length) {
            int want = (int) Math.min(out.length - off, chunk.size());
            int got = check(lib.QuantisReadHandled(handle, chunk, new SizeT(want)), "QuantisReadHandled");
            if (got > want) {
                vendorErrors.incrementAndGet();
                throw new DeviceException(
                        DeviceException.Code.DEVICE_ERROR, "QuantisReadHandled returned " + got + " > " + want);
            }
            if (got < want) {
                shortReads.incrementAndGet();
                if (got == 0) {
                    throw new DeviceException(DeviceException.Code.DEVICE_ERROR, "QuantisReadHandled returned no data");
                }
            }
            chunk.read(0, out, off, got);
            chunk.clear(got); // random bytes may become key material: none left behind
            off += got;
            bytesRead.addAndGet(got);
        }
    }

    private void requireModulesWorking() {
        int status = check(lib.QuantisGetModulesStatus(type, number), "QuantisGetModulesStatus");
        if (status != mask) {
            vendorErrors.incrementAndGet();
            alarm = String.format("module status 0x%x differs from module mask 0x%x", status, mask);
            throw new DeviceException(DeviceException.Code.DEVICE_ERROR, identity.uri() + ": " + alarm);
        }
    }

    /** Owner thread: the start-up tests; clears the device's request flag when they pass. */
    private String runStartupTests() {
        startupTestRuns.incrementAndGet();
        byte[] sample = new byte[StartupTests.BYTES];
        int got = check(lib.QuantisReadHandled(handle, chunk, new SizeT(sample.length)), "QuantisReadHandled");
        if (got != sample.length) {
            shortReads.incrementAndGet();
            return "short read of " + got + " bytes";
        }
        chunk.read(0, sample, 0, sample.length);
        chunk.clear(sample.length);
        String why = StartupTests.failures(sample);
        Arrays.fill(sample, (byte) 0);
        if (why.isEmpty()) {
            check(
                    lib.QuantisClearAis31StartupTestsRequestFlag(type, number),
                    "QuantisClearAis31StartupTestsRequestFlag");
        }
        return why;
    }

    @Override
    public SelfTestResult selfTest() {
        if (closed) {
            return SelfTestResult.fail("device closed");
        }
        try {
            return owner.call(() -> {
                requireModulesWorking();
                String why = runStartupTests();
                return why.isEmpty()
                        ? SelfTestResult.pass("modules 0x" + Integer.toHexString(mask)
                                + " working; FIPS 140-2 monobit and poker passed")
                        : SelfTestResult.fail(why);
            });
        } catch (DeviceException e) {
            return SelfTestResult.fail(e.getMessage());
        }
    }

    @Override
    public DeviceHealth health() {
        if (closed) {
            return DeviceHealth.failed("device closed");
        }
        try {
            return owner.call(() -> {
                int status = check(lib.QuantisGetModulesStatus(type, number), "QuantisGetModulesStatus");
                if (status != mask) {
                    return DeviceHealth.failed(
                            String.format("module status 0x%x differs from module mask 0x%x", status, mask));
                }
                int rate = lib.QuantisGetModulesDataRate(type, number);
                return DeviceHealth.ok("modules 0x" + Integer.toHexString(mask) + " working, " + rate + " B/s");
            });
        } catch (DeviceException e) {
            return DeviceHealth.failed(e.getMessage());
        }
    }

    @Override
    public AcquisitionStats acquisitionStats() {
        return new AcquisitionStats(
                bytesRead.get(), bytesRead.get(), 0, shortReads.get(), 0, vendorErrors.get(), alarm);
    }

    /** How often the start-up tests have run. */
    public long startupTestRuns() {
        return startupTestRuns.get();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        owner.close(() -> lib.QuantisClose(handle));
    }

    private int check(int rc, String call) {
        if (rc < 0) {
            vendorErrors.incrementAndGet();
            DeviceException.Code code = rc == QuantisLibrary.QUANTIS_ERROR_NO_DEVICE
                    ? DeviceException.Code.NOT_CONNECTED
                    : DeviceException.Code.DEVICE_ERROR;
            alarm = "Quantis " + call + " failed: " + lib.QuantisStrError(rc) + " (" + rc + ")";
            throw new DeviceException(code, alarm);
        }
        return rc;
    }
}
