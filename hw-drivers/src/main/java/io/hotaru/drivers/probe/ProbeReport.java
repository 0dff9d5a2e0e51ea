package io.hotaru.drivers.probe;

import io.hotaru.drivers.DeviceHealth;
import io.hotaru.drivers.DeviceIdentity;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.jna.AcquisitionStats;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * What a {@link DeviceProbe} saw.
 *
 * @param identity the device's identity (kind says HARDWARE, SIMULATED or STAND_IN)
 * @param role the role probed, e.g. {@code TimeTagger}
 * @param selfTest the self-test result
 * @param health health at the end of the probe
 * @param countsPerChannel time tags per channel over the probe (empty for other roles)
 * @param batchesWithLoss batches that said events were lost
 * @param bytesRead random bytes read (QRNG only)
 * @param elapsed how long acquisition ran
 * @param stats the binding's loss counters, for bindings that keep them
 */
public record ProbeReport(
        DeviceIdentity identity,
        String role,
        SelfTestResult selfTest,
        DeviceHealth health,
        long[] countsPerChannel,
        long batchesWithLoss,
        long bytesRead,
        Duration elapsed,
        Optional<AcquisitionStats> stats) {

    public ProbeReport {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(selfTest, "selfTest");
        Objects.requireNonNull(health, "health");
        countsPerChannel = countsPerChannel.clone();
        Objects.requireNonNull(elapsed, "elapsed");
        Objects.requireNonNull(stats, "stats");
    }

    @Override
    public long[] countsPerChannel() {
        return countsPerChannel.clone();
    }
}
