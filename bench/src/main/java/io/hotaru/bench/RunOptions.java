package io.hotaru.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code name=value} options of a measurement's {@code main}, over its defaults. */
public final class RunOptions {
    private RunOptions() {}

    /**
     * The defaults with each {@code name=value} argument in place; an argument of no known name
     * prints what the names are and exits with status 2.
     */
    public static Map<String, String> parse(String[] args, Map<String, String> defaults) {
        Map<String, String> options = new LinkedHashMap<>(defaults);
        for (String arg : args) {
            String[] kv = arg.split("=", 2);
            if (kv.length != 2 || !options.containsKey(kv[0])) {
                System.err.println("unknown option " + arg + ": use " + options.keySet() + " as name=value");
                System.exit(2);
            }
            options.put(kv[0], kv[1]);
        }
        return options;
    }
}
