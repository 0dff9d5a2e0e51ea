package io.hotaru.drivers;

/**
 * One reading of an optical power monitor.
 *
 * @param watts optical power at the monitor
 * @param saturated the reading is at the top of the monitor's range (the true power may be higher)
 */
public record PowerReading(double watts, boolean saturated) {

    public PowerReading {
        if (!(watts >= 0 && watts < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("power must be finite and >= 0 W, got " + watts);
        }
    }
}
