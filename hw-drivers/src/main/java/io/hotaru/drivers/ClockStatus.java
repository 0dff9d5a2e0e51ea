package io.hotaru.drivers;

import java.util.Objects;

/**
 * State of a clock reference.
 *
 * @param locked whether the clock is locked to its reference
 * @param frequencyHz nominal output frequency
 * @param offsetPs measured offset from the reference, ps
 * @param source what it is locked to, e.g. "10 MHz + PPS (GNSS)", "White Rabbit", "sim"
 */
public record ClockStatus(boolean locked, double frequencyHz, double offsetPs, String source) {

    public ClockStatus {
        Objects.requireNonNull(source, "source");
        if (!(frequencyHz > 0)) {
            throw new IllegalArgumentException("frequency must be > 0 Hz, got " + frequencyHz);
        }
    }
}
