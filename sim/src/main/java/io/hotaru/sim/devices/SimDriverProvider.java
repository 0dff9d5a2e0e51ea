package io.hotaru.sim.devices;

import io.hotaru.drivers.ClockReference;
import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.Device;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.DriverProvider;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.TimeTagger;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The {@code sim:} binding, found through {@link java.util.ServiceLoader}: {@code sim:alice}
 * ({@link PhotonSource}), {@code sim:bob} ({@link TimeTagger}), {@code sim:qrng} ({@link Qrng}),
 * {@code sim:detectors} ({@link DetectorControl}), {@code sim:polarisation} ({@link
 * PolarisationController}), {@code sim:monitor} ({@link OpticalPowerMonitor}) and {@code sim:clock}
 * ({@link ClockReference}). All but the QRNG take the link's URI parameters.
 */
public final class SimDriverProvider implements DriverProvider {

    public static final String SCHEME = "sim";

    private static final Map<String, Class<? extends Device>> ROLE_OF_PATH = Map.of(
            "alice", PhotonSource.class,
            "bob", TimeTagger.class,
            "qrng", Qrng.class,
            "detectors", DetectorControl.class,
            "polarisation", PolarisationController.class,
            "monitor", OpticalPowerMonitor.class,
            "clock", ClockReference.class);

    private final LongSupplier nanoClock;
    /** Polarisation paths by link key: a link's controller and receiver opened here share one. */
    private final Map<Long, PolarisationPath> paths = new ConcurrentHashMap<>();

    /** The provider ServiceLoader creates: time taggers follow {@link System#nanoTime()}. */
    public SimDriverProvider() {
        this(System::nanoTime);
    }

    /** A provider whose time taggers follow {@code nanoClock} (tests move it by hand). */
    public SimDriverProvider(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    @Override
    public String scheme() {
        return SCHEME;
    }

    @Override
    public String description() {
        return "simulated decoy-state BB84 link (weak coherent source, fibre, threshold detectors) and QRNG";
    }

    @Override
    public Set<Class<? extends Device>> roles() {
        return Set.copyOf(ROLE_OF_PATH.values());
    }

    @Override
    public <T extends Device> T open(DeviceUri uri, Class<T> role) {
        Class<? extends Device> offered = ROLE_OF_PATH.get(uri.path());
        if (offered == null) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI,
                    "device URI '" + uri.text() + "': unknown sim device '" + uri.path()
                            + "' (known: alice, bob, qrng, detectors, polarisation, monitor, clock)");
        }
        if (!role.equals(offered)) {
            throw new DeviceException(
                    DeviceException.Code.UNSUPPORTED_ROLE,
                    "device URI '" + uri.text() + "': sim:" + uri.path() + " is a " + offered.getSimpleName()
                            + ", not a " + role.getSimpleName());
        }
        Device device = switch (uri.path()) {
            case "alice" -> new SimPhotonSource(SimLinkConfig.parse(uri));
            case "bob" -> {
                SimLinkConfig config = SimLinkConfig.parse(uri);
                yield new SimTimeTagger(config, nanoClock, pathOf(config));
            }
            case "detectors" -> new SimDetectorControl(SimLinkConfig.parse(uri));
            case "polarisation" -> {
                SimLinkConfig config = SimLinkConfig.parse(uri);
                yield new SimPolarisationController(config, pathOf(config));
            }
            case "monitor" -> new SimPowerMonitor(SimLinkConfig.parse(uri));
            case "clock" -> new SimClockReference(SimLinkConfig.parse(uri));
            default -> new SimQrng(uri);
        };
        return role.cast(device);
    }

    private PolarisationPath pathOf(SimLinkConfig config) {
        return paths.computeIfAbsent(config.linkKey(), k -> new PolarisationPath());
    }
}
