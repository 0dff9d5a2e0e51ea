package io.hotaru.drivers.probe;

import io.hotaru.drivers.Device;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.DriverProvider;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.jna.AcquisitionStats;
import io.hotaru.drivers.jna.LossReporting;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;

/**
 * Opens a device by URI, self-tests it, acquires for a while, reports identity, counts per channel
 * and loss counters, and closes it. Time taggers and QRNGs acquire; other roles are only
 * identified and self-tested. Random bytes read are zeroed and never reported.
 */
public final class DeviceProbe {

    private DeviceProbe() {}

    /** Probes {@code uri} with the bindings found on the class path. */
    public static ProbeReport run(String uri, Duration duration) {
        return run(Drivers.discover(), DeviceUri.parse(uri), duration);
    }

    /** Probes {@code uri} for {@code duration}. */
    public static ProbeReport run(Drivers drivers, DeviceUri uri, Duration duration) {
        DriverProvider provider = drivers.providers().stream()
                .filter(p -> p.scheme().equals(uri.scheme()))
                .findFirst()
                .orElseThrow(() -> new DeviceException(
                        DeviceException.Code.NO_PROVIDER, "device URI '" + uri + "': no binding for its scheme"));
        if (provider.roles().contains(TimeTagger.class)) {
            try (TimeTagger t = drivers.open(uri, TimeTagger.class)) {
                return probeTagger(t, duration);
            }
        }
        if (provider.roles().contains(Qrng.class)) {
            try (Qrng q = drivers.open(uri, Qrng.class)) {
                return probeQrng(q, duration);
            }
        }
        Class<? extends Device> role = provider.roles().stream()
                .min((a, b) -> a.getSimpleName().compareTo(b.getSimpleName()))
                .orElseThrow(() -> new DeviceException(DeviceException.Code.UNSUPPORTED_ROLE, uri + ": no roles"));
        try (Device d = drivers.open(uri, role)) {
            return new ProbeReport(
                    d.identity(),
                    role.getSimpleName(),
                    d.selfTest(),
                    d.health(),
                    new long[0],
                    0,
                    0,
                    Duration.ZERO,
                    stats(d));
        }
    }

    private static ProbeReport probeTagger(TimeTagger t, Duration duration) {
        var selfTest = t.selfTest();
        long[] counts = new long[t.channelCount()];
        long lossy = 0;
        TagBatch batch = new TagBatch(1 << 16);
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        t.start();
        try {
            do {
                int n = t.read(batch);
                if (batch.dataLost()) {
                    lossy++;
                }
                byte[] ch = batch.channels();
                for (int i = 0; i < n; i++) {
                    counts[ch[i]]++;
                }
                if (n < batch.capacity()) {
                    LockSupport.parkNanos(1_000_000);
                }
            } while (System.nanoTime() < end);
        } finally {
            t.stop();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new ProbeReport(t.identity(), "TimeTagger", selfTest, t.health(), counts, lossy, 0, elapsed, stats(t));
    }

    private static ProbeReport probeQrng(Qrng q, Duration duration) {
        var selfTest = q.selfTest();
        byte[] buffer = new byte[1 << 16];
        long bytes = 0;
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        do {
            q.nextBytes(buffer);
            bytes += buffer.length;
        } while (System.nanoTime() < end);
        Arrays.fill(buffer, (byte) 0);
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        return new ProbeReport(q.identity(), "Qrng", selfTest, q.health(), new long[0], 0, bytes, elapsed, stats(q));
    }

    private static Optional<AcquisitionStats> stats(Device d) {
        return d instanceof LossReporting l ? Optional.of(l.acquisitionStats()) : Optional.empty();
    }
}
