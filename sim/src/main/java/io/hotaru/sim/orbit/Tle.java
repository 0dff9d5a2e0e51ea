package io.hotaru.sim.orbit;

/**
 * A validated NORAD two-line element set, as published for SGP4.
 *
 * <p>Built only through {@link #parse}: both lines are 69 columns (trailing blanks ignored), start
 * with their line number, carry a correct modulo-10 checksum in column 69, and name the same
 * catalogue number. The parsed fields are kept for display and sanity checks; propagation uses the
 * two lines as given.
 *
 * @param name the satellite name from a three-line set, or "" if there was none
 * @param catalogNumber NORAD catalogue number (Alpha-5 numbers above 99999 included)
 * @param internationalDesignator e.g. "98067A", or "" if blank
 * @param epoch the epoch of the elements, rounded to the millisecond
 * @param meanMotionRevPerDay Kozai mean motion, revolutions per day
 * @param eccentricity mean eccentricity, in [0, 1)
 * @param inclinationDeg mean inclination, degrees in [0, 180]
 * @param bstar drag term B*, per Earth radius
 * @param line1 line 1, 69 characters
 * @param line2 line 2, 69 characters
 */
public record Tle(
        String name,
        int catalogNumber,
        String internationalDesignator,
        UtcTime epoch,
        double meanMotionRevPerDay,
        double eccentricity,
        double inclinationDeg,
        double bstar,
        String line1,
        String line2) {

    /** Number of characters in a TLE line, checksum included. */
    public static final int LINE_LENGTH = 69;

    /** Satellites with a longer period use the deep-space (SDP4) branch of SGP4. */
    public static final double DEEP_SPACE_PERIOD_MINUTES = 225.0;

    public Tle {
        if (name == null || line1 == null || line2 == null || internationalDesignator == null || epoch == null) {
            throw new IllegalArgumentException("TLE fields must not be null");
        }
    }

    /**
     * Parses and validates an element set.
     *
     * @param name satellite name (line 0 of a three-line set), or {@code null} / "" for none
     * @throws TleFormatException (an {@link IllegalArgumentException}) naming the line and field at
     *     fault
     */
    public static Tle parse(String name, String line1, String line2) {
        return TleParser.parse(name == null ? "" : name.strip(), line1, line2);
    }

    /** Parses an element set without a name line. */
    public static Tle parse(String line1, String line2) {
        return parse("", line1, line2);
    }

    /** Orbital period from the mean motion, in minutes. */
    public double periodMinutes() {
        return 1440.0 / meanMotionRevPerDay;
    }

    /** True if SGP4 treats this satellite as deep-space (period of 225 minutes or more). */
    public boolean isDeepSpace() {
        return periodMinutes() >= DEEP_SPACE_PERIOD_MINUTES;
    }

    /** The name if there is one, else the catalogue number. */
    public String label() {
        return name.isEmpty() ? String.format("%05d", catalogNumber) : name;
    }

    /**
     * The modulo-10 checksum of the first 68 columns of a TLE line: the sum of the digits, with 1
     * for each minus sign.
     */
    public static int checksum(String line) {
        int sum = 0;
        for (int i = 0; i < Math.min(line.length(), LINE_LENGTH - 1); i++) {
            char c = line.charAt(i);
            if (c >= '0' && c <= '9') {
                sum += c - '0';
            } else if (c == '-') {
                sum += 1;
            }
        }
        return sum % 10;
    }
}
