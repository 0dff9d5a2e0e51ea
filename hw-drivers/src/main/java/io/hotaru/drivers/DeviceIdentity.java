package io.hotaru.drivers;

import java.util.Objects;

/**
 * Identity of an opened device.
 *
 * @param vendor manufacturer, or "Hotaru" for the simulator
 * @param model model name
 * @param serial serial number or a stable simulated one
 * @param uri the URI the device was opened with
 * @param kind whether the device is real hardware, the simulator or a native stand-in
 */
public record DeviceIdentity(String vendor, String model, String serial, String uri, Kind kind) {

    /** Where the device's data comes from. */
    public enum Kind {
        HARDWARE,
        SIMULATED,
        STAND_IN
    }

    public DeviceIdentity {
        Objects.requireNonNull(vendor, "vendor");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(kind, "kind");
    }
}
