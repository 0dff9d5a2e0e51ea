package io.hotaru.agent.node;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.drivers.DetectorControl;
import io.hotaru.drivers.Device;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.OpticalPowerMonitor;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.PolarisationController;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SelfTestResult;
import io.hotaru.drivers.TimeTagger;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The devices of one link end, opened by role from their URIs (a receiver's time tagger behind an
 * {@link ArrivalTimeTap}), their audited self-tests, and their closing.
 */
final class LinkDevices implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LinkDevices.class);

    private final NodeConfig.Link link;
    private final List<Device> devices = new ArrayList<>();
    private final Map<Device, String> roles = new IdentityHashMap<>();
    private volatile ArrivalTimeTap arrivals;

    LinkDevices(NodeConfig.Link link) {
        this.link = link;
    }

    void open() {
        Drivers drivers = Drivers.discover();
        for (Map.Entry<String, String> d : link.devices().entrySet()) {
            Class<? extends Device> role = switch (d.getKey()) {
                case "source" -> PhotonSource.class;
                case "qrng" -> Qrng.class;
                case "tagger" -> TimeTagger.class;
                case "monitor" -> OpticalPowerMonitor.class;
                case "detectors" -> DetectorControl.class;
                case "polarisation" -> PolarisationController.class;
                default -> throw new IllegalStateException("no device role " + d.getKey());
            };
            Device device = drivers.open(d.getValue(), role);
            if (device instanceof TimeTagger tagger && link.protocol().isPresent()) {
                arrivals =
                        new ArrivalTimeTap(tagger, 1e12 / link.protocol().get().repetitionRateHz());
                device = arrivals;
            }
            devices.add(device);
            roles.put(device, d.getKey());
        }
    }

    /** Every device's self-test, each audited; a transmitter's source also against its protocol. */
    boolean selfTest(AuditLog audit) {
        boolean passed = true;
        for (Device device : devices) {
            SelfTestResult result = device.selfTest();
            audit.append(
                    "link.selftest",
                    link.id(),
                    Map.of("device", roles.get(device), "passed", result.passed(), "detail", result.detail()));
            passed &= result.passed();
        }
        if (passed
                && link.role() == NodeConfig.Role.TRANSMITTER
                && link.protocol().isPresent()) {
            NodeConfig.Protocol configured = link.protocol().get();
            NodeConfig.Protocol sent =
                    LinkRunner.protocolOf(get(PhotonSource.class).settings());
            if (!configured.equals(sent)) {
                log.error("link {}: the source sends {}, not the configured {}", link.id(), sent, configured);
                audit.append(
                        "link.selftest",
                        link.id(),
                        Map.of("device", "source", "passed", false, "detail", "settings differ from protocol"));
                passed = false;
            }
        }
        return passed;
    }

    <T extends Device> Optional<T> find(Class<T> role) {
        return devices.stream().filter(role::isInstance).map(role::cast).findFirst();
    }

    <T extends Device> T get(Class<T> role) {
        return find(role).orElseThrow();
    }

    /** The receiver's tap on its time tagger, null at a transmitter. */
    ArrivalTimeTap arrivals() {
        return arrivals;
    }

    @Override
    public void close() {
        for (Device d : devices) {
            try {
                d.close();
            } catch (Exception e) {
                log.warn("link {}: closing a device failed: {}", link.id(), e.toString());
            }
        }
    }
}
