package io.hotaru.keys.store;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code name=value} options of a measurement run by hand ({@link RelayStepCosts}, {@link
 * RelayStepIo}, {@link PairStatementCosts}): each known name with its default; an unknown or
 * malformed one ends the run with exit code 2 and the list of known names.
 */
final class MeasurementOptions {
    private final Map<String, String> values;

    private MeasurementOptions(Map<String, String> values) {
        this.values = values;
    }

    /** The known names and their defaults, in the order given: {@code name, value, name, value, ...}. */
    static Map<String, String> defaults(String... namesAndValues) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    /** Parses {@code args} against {@code defaults} (name to default value, in the order to list). */
    static MeasurementOptions parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !defaults.containsKey(kv[0])) {
                System.err.println("unknown option " + arg + ": use " + String.join(" ", usage(defaults)));
                System.exit(2);
            }
            values.put(kv[0], kv[1]);
        }
        return new MeasurementOptions(values);
    }

    private static Iterable<String> usage(Map<String, String> defaults) {
        return defaults.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())::iterator;
    }

    int integer(String name) {
        try {
            return Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            System.err.println("option " + name + "=" + values.get(name) + " is not a whole number");
            System.exit(2);
            throw new AssertionError(e);
        }
    }

    boolean flag(String name) {
        return Boolean.parseBoolean(values.get(name));
    }
}
