package io.hotaru.drivers;

import java.util.Set;

/**
 * A binding that opens devices for one URI scheme. Implementations are found through {@link
 * java.util.ServiceLoader}; the simulator is an ordinary provider.
 */
public interface DriverProvider {

    /** The URI scheme this provider serves, e.g. {@code sim} or {@code qutag}. */
    String scheme();

    /** One line for operators: what this binding drives. */
    String description();

    /** The device roles this provider can open. */
    Set<Class<? extends Device>> roles();

    /**
     * Whether the binding can open devices on this machine (e.g. its vendor library is installed),
     * with a one-line reason when it cannot.
     */
    default Availability availability() {
        return Availability.AVAILABLE;
    }

    /**
     * Opens the device named by {@code uri} in the given role.
     *
     * @throws DeviceException if the URI is bad, the role unsupported or the device unavailable
     */
    <T extends Device> T open(DeviceUri uri, Class<T> role);

    /** Whether a binding can be used here. */
    record Availability(boolean available, String detail) {
        public static final Availability AVAILABLE = new Availability(true, "available");
    }
}
