package io.hotaru.drivers.picoquant;

import io.hotaru.drivers.Device;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.DriverProvider;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.drivers.jna.VendorLibrary;
import java.time.Duration;
import java.util.Set;

/** The shared part of the MultiHarp and HydraHarp providers. */
abstract class PicoQuantDriverProvider implements DriverProvider {

    abstract VendorLibrary library();

    abstract PicoQuantCalls calls(boolean standIn);

    @Override
    public String description() {
        return library().product() + " time tagger in T2 mode via " + library().fileName();
    }

    @Override
    public Set<Class<? extends Device>> roles() {
        return Set.of(TimeTagger.class);
    }

    @Override
    public Availability availability() {
        return library().availability();
    }

    @Override
    public <T extends Device> T open(DeviceUri uri, Class<T> role) {
        if (role != TimeTagger.class) {
            throw new DeviceException(
                    DeviceException.Code.UNSUPPORTED_ROLE,
                    uri + ": a " + library().product() + " is a TimeTagger");
        }
        boolean standIn = Boolean.parseBoolean(uri.param("standin").orElse("false"));
        PicoQuantCalls calls = calls(standIn);
        return role.cast(
                new PicoQuantTimeTagger(uri, calls, calls.standIn(), Duration.ofMillis(uri.longParam("poll", 1))));
    }
}
