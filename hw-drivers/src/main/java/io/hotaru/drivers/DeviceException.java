package io.hotaru.drivers;

import java.util.Objects;

/** The one exception type of the device layer. Carries an error code, never device data. */
public final class DeviceException extends RuntimeException {

    /** Why a device operation failed. */
    public enum Code {
        /** The URI is malformed or names an unknown scheme, role or parameter. */
        BAD_URI,
        /** No provider serves the URI's scheme. */
        NO_PROVIDER,
        /** The provider does not offer the requested role. */
        UNSUPPORTED_ROLE,
        /** A vendor library is not installed. */
        LIBRARY_MISSING,
        /** The device is absent, unplugged or not connected. */
        NOT_CONNECTED,
        /** The device reported an error. */
        DEVICE_ERROR,
        /** The device has been closed. */
        CLOSED
    }

    private final Code code;

    public DeviceException(Code code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code");
    }

    public DeviceException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    public Code code() {
        return code;
    }
}
