package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import java.util.List;

/** URI checks shared by the {@code sim:} devices; every message names the URI and the parameter. */
final class SimUris {

    private SimUris() {}

    static void requireOnlyKnown(DeviceUri uri, List<String> known) {
        for (String name : uri.params().keySet()) {
            if (!known.contains(name)) {
                throw bad(
                        uri,
                        name,
                        "unknown parameter for sim:" + uri.path() + " (known: " + String.join(", ", known) + ")");
            }
        }
    }

    static long requireLong(DeviceUri uri, String name) {
        uri.require(name);
        return uri.longParam(name, 0);
    }

    static DeviceException bad(DeviceUri uri, String parameter, String reason) {
        return new DeviceException(
                DeviceException.Code.BAD_URI,
                "device URI '" + uri.text() + "': parameter '" + parameter + "': " + reason);
    }
}
