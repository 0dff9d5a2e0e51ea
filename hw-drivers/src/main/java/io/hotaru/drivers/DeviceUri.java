package io.hotaru.drivers;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A device URI such as {@code sim:alice?link=ab&seed=42} or {@code qutag:0}: a scheme that selects
 * the driver, a path that selects the device or its role, and query parameters.
 */
public record DeviceUri(String text, String scheme, String path, Map<String, String> params) {

    public DeviceUri {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(path, "path");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Parses {@code scheme:path[?k=v&k=v]}.
     *
     * @throws DeviceException with {@link DeviceException.Code#BAD_URI} naming the problem
     */
    public static DeviceUri parse(String text) {
        Objects.requireNonNull(text, "text");
        int colon = text.indexOf(':');
        if (colon <= 0) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI,
                    "device URI '" + text + "' has no scheme; expected e.g. 'sim:alice?link=ab&seed=42'");
        }
        String scheme = text.substring(0, colon);
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI, "device URI '" + text + "' has an invalid scheme '" + scheme + "'");
        }
        String rest = text.substring(colon + 1);
        int q = rest.indexOf('?');
        String path = q < 0 ? rest : rest.substring(0, q);
        Map<String, String> params = new LinkedHashMap<>();
        if (q >= 0 && q + 1 < rest.length()) {
            for (String pair : rest.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new DeviceException(
                            DeviceException.Code.BAD_URI,
                            "device URI '" + text + "': parameter '" + pair + "' is not of the form key=value");
                }
                String key = decode(pair.substring(0, eq));
                if (params.put(key, decode(pair.substring(eq + 1))) != null) {
                    throw new DeviceException(
                            DeviceException.Code.BAD_URI,
                            "device URI '" + text + "': parameter '" + key + "' is given twice");
                }
            }
        }
        return new DeviceUri(text, scheme, path, params);
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /** A required parameter, or a {@link DeviceException} naming it. */
    public String require(String name) {
        String v = params.get(name);
        if (v == null || v.isEmpty()) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI, "device URI '" + text + "' needs parameter '" + name + "'");
        }
        return v;
    }

    public long longParam(String name, long defaultValue) {
        String v = params.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI,
                    "device URI '" + text + "': parameter '" + name + "' must be an integer, got '" + v + "'");
        }
    }

    public double doubleParam(String name, double defaultValue) {
        String v = params.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI,
                    "device URI '" + text + "': parameter '" + name + "' must be a number, got '" + v + "'");
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text;
    }
}
