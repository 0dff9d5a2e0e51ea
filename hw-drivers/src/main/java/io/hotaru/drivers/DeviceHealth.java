package io.hotaru.drivers;

import java.util.Objects;

/**
 * A device's own report of its condition, cheap enough to poll every control cycle (unlike {@link
 * Device#selfTest()}, which may take time and light).
 *
 * @param state overall condition
 * @param detail one line for operators
 */
public record DeviceHealth(State state, String detail) {

    /** Condition of a device. */
    public enum State {
        /** Working within its limits. */
        OK,
        /** Working, but a reading is near or past a warning limit. */
        DEGRADED,
        /** Not fit for key generation. */
        FAILED,
        /** The device does not report its health. Never to be read as OK. */
        UNKNOWN
    }

    public DeviceHealth {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(detail, "detail");
    }

    public static DeviceHealth ok(String detail) {
        return new DeviceHealth(State.OK, detail);
    }

    public static DeviceHealth failed(String detail) {
        return new DeviceHealth(State.FAILED, detail);
    }

    public static DeviceHealth unknown(String detail) {
        return new DeviceHealth(State.UNKNOWN, detail);
    }
}
