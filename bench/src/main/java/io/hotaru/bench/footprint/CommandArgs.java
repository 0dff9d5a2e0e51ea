package io.hotaru.bench.footprint;

/** {@code name=value} arguments of the footprint commands. */
final class CommandArgs {
    private CommandArgs() {}

    static String get(String[] args, String name, String defaultValue) {
        for (String a : args) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        return defaultValue;
    }
}
