package io.hotaru.sim.orbit;

import java.time.Duration;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * An instant in UTC as POSIX time: milliseconds since 1970-01-01T00:00:00Z, leap seconds not
 * counted. The orbit package uses this instead of {@code java.time.Instant} so that its algorithms
 * stay free of clocks: callers decide what "now" is.
 *
 * @param epochMillis milliseconds since 1970-01-01T00:00:00Z
 */
public record UtcTime(long epochMillis) implements Comparable<UtcTime> {

    /** The instant {@code epochSeconds} seconds after 1970-01-01T00:00:00Z, rounded to the millisecond. */
    public static UtcTime ofEpochSeconds(double epochSeconds) {
        if (!Double.isFinite(epochSeconds)) {
            throw new IllegalArgumentException("epoch seconds must be finite, was " + epochSeconds);
        }
        return new UtcTime(Math.round(epochSeconds * 1000.0));
    }

    /** The instant at the given UTC calendar date and time of day. */
    public static UtcTime of(int year, int month, int day, int hour, int minute, double second) {
        long wholeSeconds = (long) Math.floor(second);
        LocalDateTime dateTime =
                LocalDateTime.of(year, month, day, hour, minute).plusSeconds(wholeSeconds);
        return new UtcTime(
                dateTime.toEpochSecond(ZoneOffset.UTC) * 1000L + Math.round((second - wholeSeconds) * 1000.0));
    }

    /**
     * Parses an ISO-8601 date-time with an offset, such as {@code 2024-03-01T12:00:00Z} or {@code
     * 2024-03-01T13:00:00+01:00}.
     *
     * @throws IllegalArgumentException if {@code text} is not such a date-time
     */
    public static UtcTime parse(String text) {
        try {
            OffsetDateTime dateTime = OffsetDateTime.parse(text.strip());
            return new UtcTime(dateTime.toEpochSecond() * 1000L + dateTime.getNano() / 1_000_000);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(
                    "not an ISO-8601 date-time with offset (e.g. 2024-03-01T12:00:00Z): '" + text + "'", e);
        }
    }

    /** Seconds since 1970-01-01T00:00:00Z. */
    public double epochSeconds() {
        return epochMillis / 1000.0;
    }

    /** This instant shifted by {@code seconds} (rounded to the millisecond). */
    public UtcTime plusSeconds(double seconds) {
        return new UtcTime(epochMillis + Math.round(seconds * 1000.0));
    }

    /** This instant shifted by {@code duration} (truncated to the millisecond). */
    public UtcTime plus(Duration duration) {
        return new UtcTime(Math.addExact(epochMillis, duration.toMillis()));
    }

    /** Seconds from this instant to {@code later} (negative if {@code later} is earlier). */
    public double secondsUntil(UtcTime later) {
        return (later.epochMillis - epochMillis) / 1000.0;
    }

    public boolean isBefore(UtcTime other) {
        return epochMillis < other.epochMillis;
    }

    public boolean isAfter(UtcTime other) {
        return epochMillis > other.epochMillis;
    }

    @Override
    public int compareTo(UtcTime other) {
        return Long.compare(epochMillis, other.epochMillis);
    }

    /** ISO-8601 in UTC with milliseconds, e.g. {@code 2024-03-01T12:00:00.000Z}. */
    @Override
    public String toString() {
        long seconds = Math.floorDiv(epochMillis, 1000L);
        int millis = (int) Math.floorMod(epochMillis, 1000L);
        LocalDateTime dateTime = LocalDateTime.ofEpochSecond(seconds, millis * 1_000_000, ZoneOffset.UTC);
        return String.format(
                "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                dateTime.getYear(),
                dateTime.getMonthValue(),
                dateTime.getDayOfMonth(),
                dateTime.getHour(),
                dateTime.getMinute(),
                dateTime.getSecond(),
                millis);
    }
}
