package io.hotaru.agent.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parses durations such as {@code 500ms}, {@code 20s}, {@code 5m}, {@code 1h} or ISO-8601 {@code PT20S}. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** Parses a duration or throws a {@link CommandLine.TypeConversionException} saying what is expected. */
    public static Duration parse(String value) {
        String v = value.trim();
        Matcher m = SIMPLE.matcher(v);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            double millis = switch (m.group(2)) {
                case "ms" -> amount;
                case "s" -> amount * 1_000;
                case "m" -> amount * 60_000;
                default -> amount * 3_600_000;
            };
            if (millis > Long.MAX_VALUE / 2) {
                throw bad(value);
            }
            return Duration.ofMillis(Math.round(millis));
        }
        if (v.startsWith("P") || v.startsWith("p")) {
            try {
                Duration d = Duration.parse(v);
                if (d.isNegative()) {
                    throw bad(value);
                }
                return d;
            } catch (DateTimeParseException e) {
                throw bad(value);
            }
        }
        throw bad(value);
    }

    private static CommandLine.TypeConversionException bad(String value) {
        return new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration; use a number with a unit, e.g. 500ms, 20s, 5m, 1h");
    }
}
