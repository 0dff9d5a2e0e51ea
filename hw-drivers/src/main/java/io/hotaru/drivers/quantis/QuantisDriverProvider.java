package io.hotaru.drivers.quantis;

import io.hotaru.drivers.Device;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.DriverProvider;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.jna.VendorLibrary;
import java.util.Set;

/** {@code quantis:usb:0} or {@code quantis:pci:0} [{@code ?standin=true&chunk=bytes}]. */
public final class QuantisDriverProvider implements DriverProvider {

    static final VendorLibrary LIBRARY = new VendorLibrary("ID Quantique Quantis", "Quantis");

    @Override
    public String scheme() {
        return "quantis";
    }

    @Override
    public String description() {
        return "ID Quantique Quantis QRNG (USB or PCI) via " + LIBRARY.fileName();
    }

    @Override
    public Set<Class<? extends Device>> roles() {
        return Set.of(Qrng.class);
    }

    @Override
    public Availability availability() {
        return LIBRARY.availability();
    }

    @Override
    public <T extends Device> T open(DeviceUri uri, Class<T> role) {
        if (role != Qrng.class) {
            throw new DeviceException(DeviceException.Code.UNSUPPORTED_ROLE, uri + ": a Quantis is a Qrng");
        }
        String[] parts = uri.path().split(":");
        int type;
        if (parts.length == 2 && parts[0].equals("usb")) {
            type = QuantisLibrary.QUANTIS_DEVICE_USB;
        } else if (parts.length == 2 && parts[0].equals("pci")) {
            type = QuantisLibrary.QUANTIS_DEVICE_PCI;
        } else {
            throw new DeviceException(DeviceException.Code.BAD_URI, uri + ": expected quantis:usb:N or quantis:pci:N");
        }
        int number;
        try {
            number = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new DeviceException(DeviceException.Code.BAD_URI, uri + ": device number must be an integer");
        }
        long chunk = uri.longParam("chunk", 1 << 20);
        if (chunk < 4096 || chunk > QuantisLibrary.QUANTIS_MAX_READ_SIZE) {
            throw new DeviceException(DeviceException.Code.BAD_URI, uri + ": chunk must be 4096..16 MiB");
        }
        boolean standIn = Boolean.parseBoolean(uri.param("standin").orElse("false"));
        var loaded = LIBRARY.load(QuantisLibrary.class, standIn);
        int count = loaded.library().QuantisCount(type);
        if (number >= count) {
            throw new DeviceException(
                    DeviceException.Code.NOT_CONNECTED, uri + ": " + count + " Quantis device(s) of this type present");
        }
        return role.cast(new QuantisQrng(uri, loaded.library(), loaded.standIn(), type, number, (int) chunk));
    }
}
