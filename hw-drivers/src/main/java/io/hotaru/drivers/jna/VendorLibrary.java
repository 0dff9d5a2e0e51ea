package io.hotaru.drivers.jna;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DriverProvider;
import java.io.File;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import java.util.Objects;

/**
 * A vendor's native library as JNA loads it: by name from {@code jna.library.path} and the system
 * linker path for real hardware, or Hotaru's stand-in from the class path when a URI asks for it.
 *
 * <p>The real load never falls back to the class path, so the stand-in (which is packaged under the
 * vendor's file name) is never loaded by accident; and a library exporting the stand-in control
 * function is reported as a stand-in whichever way it was found.
 *
 * @param product what the library drives, e.g. "qutools quTAG"
 * @param name the library name JNA maps to a file, e.g. {@code tdcbase} for {@code libtdcbase.so}
 */
public record VendorLibrary(String product, String name) {

    /** The control function that only Hotaru's stand-ins export. */
    public static final String STAND_IN_SYMBOL = "hotaru_standin_inject";

    public VendorLibrary {
        Objects.requireNonNull(product, "product");
        Objects.requireNonNull(name, "name");
    }

    /** A loaded library: the raw interface and whether it is Hotaru's stand-in. */
    public record Loaded<T extends Library>(T library, NativeLibrary nativeLibrary, boolean standIn) {}

    public String fileName() {
        return System.mapLibraryName(name);
    }

    /** Where a real library is looked for, in one line. */
    public String searchPath() {
        return "jna.library.path=" + System.getProperty("jna.library.path", "") + ", java.library.path="
                + System.getProperty("java.library.path", "") + ", and the system linker path";
    }

    /** The one line an operator sees when the library is not installed. */
    public String missingLine() {
        return product + " library " + fileName() + " not found (searched " + searchPath()
                + "); install the vendor software, or use sim:";
    }

    /** Loads the real vendor library or, if {@code standIn}, Hotaru's stand-in from the class path. */
    public <T extends Library> Loaded<T> load(Class<T> type, boolean standIn) {
        return standIn ? loadStandIn(type) : loadVendor(type);
    }

    /** Whether the real vendor library can be loaded here, with its file or the missing line. */
    public DriverProvider.Availability availability() {
        try {
            NativeLibrary lib = NativeLibrary.getInstance(name, vendorOptions());
            if (isStandIn(lib)) {
                return new DriverProvider.Availability(
                        false,
                        "only Hotaru's stand-in " + lib.getFile() + " was found; " + missingLine()
                                + " (the stand-in needs ?standin=true)");
            }
            return new DriverProvider.Availability(true, product + " library " + lib.getFile());
        } catch (UnsatisfiedLinkError e) {
            return new DriverProvider.Availability(false, missingLine());
        }
    }

    private <T extends Library> Loaded<T> loadVendor(Class<T> type) {
        try {
            Map<String, Object> options = vendorOptions();
            NativeLibrary lib = NativeLibrary.getInstance(name, options);
            return new Loaded<>(Native.load(name, type, options), lib, isStandIn(lib));
        } catch (UnsatisfiedLinkError e) {
            throw new DeviceException(DeviceException.Code.LIBRARY_MISSING, missingLine(), e);
        }
    }

    private <T extends Library> Loaded<T> loadStandIn(Class<T> type) {
        String path = standInFile().getAbsolutePath();
        try {
            NativeLibrary lib = NativeLibrary.getInstance(path);
            return new Loaded<>(Native.load(path, type), lib, isStandIn(lib));
        } catch (UnsatisfiedLinkError e) {
            throw new DeviceException(
                    DeviceException.Code.LIBRARY_MISSING,
                    "Hotaru's stand-in for the " + product + " library " + path + " does not load: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The stand-in library file, from the class path (extracted once if it sits in a jar, so the
     * binding and {@link StandIn} reach the same loaded copy and its state).
     */
    public File standInFile() {
        return STAND_IN_FILES.computeIfAbsent(name, n -> findStandIn());
    }

    private File findStandIn() {
        ClassLoader loader = VendorLibrary.class.getClassLoader();
        URL url = loader.getResource(com.sun.jna.Platform.RESOURCE_PREFIX + "/" + fileName());
        if (url == null) {
            throw new DeviceException(
                    DeviceException.Code.LIBRARY_MISSING,
                    "Hotaru's stand-in " + com.sun.jna.Platform.RESOURCE_PREFIX + "/" + fileName()
                            + " is not on the class path; it is built for Linux x86-64 and aarch64 only");
        }
        try {
            return Native.extractFromResourcePath(name, loader);
        } catch (IOException e) {
            throw new DeviceException(
                    DeviceException.Code.LIBRARY_MISSING, "cannot extract Hotaru's stand-in " + fileName(), e);
        }
    }

    private static boolean isStandIn(NativeLibrary lib) {
        try {
            lib.getFunction(STAND_IN_SYMBOL);
            return true;
        } catch (UnsatisfiedLinkError e) {
            return false;
        }
    }

    /** Options that keep JNA from extracting a same-named library from the class path. */
    private static Map<String, Object> vendorOptions() {
        return Map.of(Library.OPTION_CLASSLOADER, NO_RESOURCES);
    }

    private static final Map<String, File> STAND_IN_FILES = new java.util.concurrent.ConcurrentHashMap<>();

    private static final ClassLoader NO_RESOURCES = new URLClassLoader(new URL[0], null);
}
