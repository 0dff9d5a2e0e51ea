package io.hotaru.sim.orbit;

import java.time.LocalDate;
import java.time.ZoneOffset;

/** Column-by-column parsing and validation of the two TLE lines; see {@link Tle#parse}. */
final class TleParser {

    private static final long MILLIS_PER_DAY = 86_400_000L;

    private TleParser() {}

    static Tle parse(String name, String rawLine1, String rawLine2) {
        String line1 = checkedLine(1, rawLine1);
        String line2 = checkedLine(2, rawLine2);

        int catalog1 = catalogNumber(1, line1);
        int catalog2 = catalogNumber(2, line2);
        if (catalog1 != catalog2) {
            throw new TleFormatException(
                    0,
                    "catalogue number " + field(line1, 3, 7).strip() + " on line 1 does not match "
                            + field(line2, 3, 7).strip() + " on line 2");
        }

        String designator = field(line1, 10, 17).strip();
        UtcTime epoch = epoch(line1);
        double bstar = exponential(1, line1, 54, 61, "B* drag term");

        double inclination = decimal(2, line2, 9, 16, "inclination");
        if (inclination < 0.0 || inclination > 180.0) {
            throw new TleFormatException(
                    2, "inclination (columns 9-16) must be in [0, 180] degrees, was " + inclination);
        }
        decimal(2, line2, 18, 25, "right ascension of the ascending node");
        double eccentricity = impliedDecimal(2, line2, 27, 33, "eccentricity");
        decimal(2, line2, 35, 42, "argument of perigee");
        decimal(2, line2, 44, 51, "mean anomaly");
        double meanMotion = decimal(2, line2, 53, 63, "mean motion");
        if (!(meanMotion > 0.0)) {
            throw new TleFormatException(2, "mean motion (columns 53-63) must be positive, was " + meanMotion);
        }
        return new Tle(name, catalog1, designator, epoch, meanMotion, eccentricity, inclination, bstar, line1, line2);
    }

    /** Strips trailing blanks and checks length, line number and checksum. */
    private static String checkedLine(int number, String raw) {
        if (raw == null) {
            throw new TleFormatException(number, "missing");
        }
        String line = raw.stripTrailing();
        if (line.length() != Tle.LINE_LENGTH) {
            throw new TleFormatException(
                    number, "expected " + Tle.LINE_LENGTH + " characters, found " + line.length() + ": '" + line + "'");
        }
        if (line.charAt(0) != (char) ('0' + number) || line.charAt(1) != ' ') {
            throw new TleFormatException(
                    number, "must start with '" + number + " ', found '" + line.substring(0, 2) + "'");
        }
        char found = line.charAt(Tle.LINE_LENGTH - 1);
        int expected = Tle.checksum(line);
        if (found != (char) ('0' + expected)) {
            throw new TleFormatException(
                    number, "checksum (column 69) expected " + expected + ", found '" + found + "'");
        }
        return line;
    }

    private static int catalogNumber(int number, String line) {
        String text = field(line, 3, 7);
        char first = text.charAt(0);
        String rest = text.substring(1);
        if (Character.isLetter(first) && rest.chars().allMatch(Character::isDigit)) {
            int value = alpha5Digit(first);
            if (value > 0) {
                return value * 10_000 + Integer.parseInt(rest);
            }
        }
        String digits = text.strip();
        if (digits.isEmpty() || !digits.chars().allMatch(Character::isDigit)) {
            throw new TleFormatException(number, "catalogue number (columns 3-7) is not a number: '" + text + "'");
        }
        return Integer.parseInt(digits);
    }

    /** Alpha-5: A=10 ... Z=33, skipping I and O; 0 if not a valid letter. */
    private static int alpha5Digit(char letter) {
        if (letter < 'A' || letter > 'Z' || letter == 'I' || letter == 'O') {
            return 0;
        }
        int value = 10 + (letter - 'A');
        if (letter > 'I') {
            value--;
        }
        if (letter > 'O') {
            value--;
        }
        return value;
    }

    private static UtcTime epoch(String line) {
        String yearText = field(line, 19, 20);
        if (!yearText.chars().allMatch(Character::isDigit)) {
            throw new TleFormatException(1, "epoch year (columns 19-20) is not a number: '" + yearText + "'");
        }
        int twoDigitYear = Integer.parseInt(yearText);
        int year = twoDigitYear < 57 ? 2000 + twoDigitYear : 1900 + twoDigitYear;
        double dayOfYear = decimal(1, line, 21, 32, "epoch day of year");
        int daysInYear = LocalDate.of(year, 1, 1).lengthOfYear();
        if (dayOfYear < 1.0 || dayOfYear >= daysInYear + 1.0) {
            throw new TleFormatException(
                    1, "epoch day of year (columns 21-32) must be in [1, " + (daysInYear + 1) + "), was " + dayOfYear);
        }
        long yearStart = LocalDate.of(year, 1, 1).atStartOfDay().toEpochSecond(ZoneOffset.UTC) * 1000L;
        return new UtcTime(yearStart + Math.round((dayOfYear - 1.0) * MILLIS_PER_DAY));
    }

    private static double decimal(int number, String line, int from, int to, String what) {
        String text = field(line, from, to).strip();
        try {
            double value = Double.parseDouble(text);
            if (Double.isFinite(value)
                    && text.chars().allMatch(c -> Character.isDigit(c) || c == '.' || c == '-' || c == '+')) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TleFormatException(
                number, what + " (columns " + from + "-" + to + ") is not a number: '" + text + "'");
    }

    /** A decimal with an assumed leading "0.", such as the eccentricity "0006703". */
    private static double impliedDecimal(int number, String line, int from, int to, String what) {
        String text = field(line, from, to);
        if (!text.chars().allMatch(Character::isDigit)) {
            throw new TleFormatException(
                    number, what + " (columns " + from + "-" + to + ") is not a number: '" + text + "'");
        }
        return Double.parseDouble("0." + text);
    }

    /** The TLE exponential notation with an assumed decimal point: " 12345-4" is 0.12345e-4. */
    private static double exponential(int number, String line, int from, int to, String what) {
        String text = field(line, from, to);
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return 0.0;
        }
        int exponentSign = Math.max(trimmed.lastIndexOf('-'), trimmed.lastIndexOf('+'));
        try {
            if (exponentSign > 0) {
                String mantissa = trimmed.substring(0, exponentSign);
                String sign = mantissa.startsWith("-") ? "-" : "";
                String digits = mantissa.replaceFirst("^[+-]", "");
                if (digits.chars().allMatch(Character::isDigit) && !digits.isEmpty()) {
                    return Double.parseDouble(sign + "0." + digits + "e" + trimmed.substring(exponentSign));
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new TleFormatException(
                number, what + " (columns " + from + "-" + to + ") is not in TLE exponential notation: '" + text + "'");
    }

    /** Columns {@code from} to {@code to}, 1-based and inclusive as in the TLE specification. */
    private static String field(String line, int from, int to) {
        return line.substring(from - 1, to);
    }
}
