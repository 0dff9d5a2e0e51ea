package io.hotaru.drivers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/** Finds driver providers through {@link ServiceLoader} and opens devices by URI. */
public final class Drivers {

    private final List<DriverProvider> providers;

    private Drivers(List<DriverProvider> providers) {
        this.providers = List.copyOf(providers);
    }

    /** The providers on the class path of this class's loader. */
    public static Drivers discover() {
        List<DriverProvider> found = new ArrayList<>();
        ServiceLoader.load(DriverProvider.class, Drivers.class.getClassLoader()).forEach(found::add);
        found.sort(Comparator.comparing(DriverProvider::scheme));
        return new Drivers(found);
    }

    /** A registry of exactly these providers (for tests). */
    public static Drivers of(List<DriverProvider> providers) {
        return new Drivers(providers);
    }

    public List<DriverProvider> providers() {
        return providers;
    }

    /** Opens {@code uri} in the given role. */
    public <T extends Device> T open(String uri, Class<T> role) {
        return open(DeviceUri.parse(uri), role);
    }

    /** Opens {@code uri} in the given role. */
    public <T extends Device> T open(DeviceUri uri, Class<T> role) {
        for (DriverProvider p : providers) {
            if (p.scheme().equals(uri.scheme())) {
                if (!p.roles().contains(role)) {
                    throw new DeviceException(
                            DeviceException.Code.UNSUPPORTED_ROLE,
                            "device URI '" + uri + "': the '" + p.scheme() + "' binding has no "
                                    + role.getSimpleName() + " (it offers "
                                    + p.roles().stream()
                                            .map(Class::getSimpleName)
                                            .sorted()
                                            .collect(Collectors.joining(", "))
                                    + ")");
                }
                return p.open(uri, role);
            }
        }
        throw new DeviceException(
                DeviceException.Code.NO_PROVIDER,
                "device URI '" + uri + "': no binding for scheme '" + uri.scheme() + "' (known: "
                        + providers.stream().map(DriverProvider::scheme).collect(Collectors.joining(", "))
                        + ")");
    }
}
