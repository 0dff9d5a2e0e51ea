package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.sim.physics.CounterRandom;
import java.util.List;

/**
 * A simulated QRNG ({@code sim:qrng?seed=7}): deterministic counter-based bytes from the seed, the
 * same bytes however the requests are sized. Not random: for simulation and tests only, and its
 * identity says so.
 */
public final class SimQrng implements Qrng {

    /** The URI parameters of {@code sim:qrng}. */
    public static final List<String> PARAMETERS = List.of("seed");

    private static final long STREAM = 0x51524E47L; // "QRNG"
    private static final long SELF_TEST_STREAM = STREAM + 1;

    private final DeviceUri uri;
    private final CounterRandom random;
    private final CounterRandom selfTestRandom;
    private final DeviceIdentity identity;
    private long position;
    private boolean closed;

    public SimQrng(DeviceUri uri) {
        SimUris.requireOnlyKnown(uri, PARAMETERS);
        long key = CounterRandom.mix64(SimUris.requireLong(uri, "seed"));
        this.uri = uri;
        this.random = CounterRandom.of(key, STREAM);
        this.selfTestRandom = CounterRandom.of(key, SELF_TEST_STREAM);
        this.identity = new DeviceIdentity(
                "Hotaru",
                "simulated QRNG (deterministic, not random)",
                "sim-qrng",
                uri.text(),
                DeviceIdentity.Kind.SIMULATED);
    }

    @Override
    public DeviceIdentity identity() {
        return identity;
    }

    @Override
    public synchronized void nextBytes(byte[] out) {
        if (closed) {
            throw new DeviceException(DeviceException.Code.CLOSED, "device '" + uri.text() + "' is closed");
        }
        random.bytesAt(position, out, 0, out.length);
        position += out.length;
    }

    /** FIPS 140-2 monobit test on 20,000 bits of a stream apart from the output. */
    @Override
    public synchronized SelfTestResult selfTest() {
        if (closed) {
            return SelfTestResult.fail("closed");
        }
        byte[] sample = new byte[2500];
        selfTestRandom.bytesAt(0, sample, 0, sample.length);
        int ones = 0;
        for (byte b : sample) {
            ones += Integer.bitCount(b & 0xFF);
        }
        String detail = "simulated deterministic QRNG: monobit " + ones + " ones in 20000 bits (pass: 9725..10275)";
        return ones > 9725 && ones < 10275 ? SelfTestResult.pass(detail) : SelfTestResult.fail(detail);
    }

    @Override
    public synchronized DeviceHealth health() {
        return closed ? DeviceHealth.failed("closed") : DeviceHealth.ok("simulated deterministic QRNG");
    }

    @Override
    public synchronized void close() {
        closed = true;
    }
}
