package io.hotaru.drivers.qutag;

import io.hotaru.drivers.Device;
import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.DriverProvider;
import io.hotaru.drivers.TimeTagger;
import java.time.Duration;
import java.util.Set;

/**
 * {@code qutag:0[?standin=true&buffer=N&poll=ms&deadtime=ps&delayK=ps]}: a qutools quTAG time
 * tagger through its vendor library, or through Hotaru's stand-in when {@code standin=true}.
 */
public final class QutagDriverProvider implements DriverProvider {

    @Override
    public String scheme() {
        return "qutag";
    }

    @Override
    public String description() {
        return "qutools quTAG time tagger via " + QutagTimeTagger.LIBRARY.fileName();
    }

    @Override
    public Set<Class<? extends Device>> roles() {
        return Set.of(TimeTagger.class);
    }

    @Override
    public Availability availability() {
        return QutagTimeTagger.LIBRARY.availability();
    }

    @Override
    public <T extends Device> T open(DeviceUri uri, Class<T> role) {
        if (role != TimeTagger.class) {
            throw new DeviceException(DeviceException.Code.UNSUPPORTED_ROLE, uri + ": a quTAG is a TimeTagger");
        }
        boolean standIn = Boolean.parseBoolean(uri.param("standin").orElse("false"));
        int buffer = (int) uri.longParam("buffer", 100_000);
        if (buffer < 1 || buffer > 1_000_000) {
            throw new DeviceException(DeviceException.Code.BAD_URI, uri + ": buffer must be 1..1000000");
        }
        var loaded = QutagTimeTagger.LIBRARY.load(TdcbaseLibrary.class, standIn);
        return role.cast(new QutagTimeTagger(
                uri, loaded.library(), loaded.standIn(), buffer, Duration.ofMillis(uri.longParam("poll", 1))));
    }
}
