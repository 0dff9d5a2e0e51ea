package io.hotaru.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The lines campaigns appended to {@code figures.tsv} ({@code figure<TAB>source<TAB>value}), summed
 * per figure. Invariant figures (keys lost, duplicated, disagreeing, clear residue) must be zero;
 * every attack run must have been detected.
 */
final class Figures {
    static final List<String> REQUIRED = List.of(
            "sigkills",
            "link_faults",
            "broker_restarts",
            "fuzz_executions",
            "forgery_attempts",
            "attacks_detected",
            "attacks_total",
            "keys_lost",
            "keys_duplicated",
            "keys_disagreeing",
            "clear_residue_hits",
            "keys_during_alarm");
    /** Also at the top of the JSON: the pauses, the load held during faults, what the checks covered. */
    static final List<String> ALSO_REPORTED = List.of(
            "sigstops",
            "etsi_requests_under_faults",
            "etsi_keys_under_faults",
            "keys_checked",
            "telemetry_messages_scanned");

    static final List<String> MUST_BE_ZERO = List.of(
            "keys_lost",
            "keys_duplicated",
            "keys_disagreeing",
            "clear_residue_hits",
            "keys_during_alarm",
            "commands_lost",
            "commands_replayed",
            "relay_history_violations");

    private final Map<String, Map<String, Long>> bySource = new TreeMap<>();

    static Figures read(Path file) throws IOException {
        Figures figures = new Figures();
        if (!Files.exists(file)) {
            return figures;
        }
        int number = 0;
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            number++;
            String[] fields = line.split("\t");
            if (fields.length != 3) {
                throw new IllegalStateException(file + ":" + number + ": expected figure, source, value: " + line);
            }
            figures.bySource
                    .computeIfAbsent(fields[0], f -> new TreeMap<>())
                    .merge(fields[1], Long.parseLong(fields[2]), Long::sum);
        }
        return figures;
    }

    /** The figures at the top of the JSON and the table, in order. */
    static List<String> reported() {
        List<String> all = new ArrayList<>(REQUIRED);
        all.addAll(ALSO_REPORTED);
        return all;
    }

    long total(String figure) {
        return bySource.getOrDefault(figure, Map.of()).values().stream()
                .mapToLong(Long::longValue)
                .sum();
    }

    Map<String, Map<String, Long>> bySource() {
        return bySource;
    }

    List<String> violations(Floors floors) {
        List<String> violations = new ArrayList<>();
        for (String figure : MUST_BE_ZERO) {
            if (total(figure) != 0) {
                violations.add(figure + " = " + total(figure) + " " + bySource.get(figure) + ", must be 0");
            }
        }
        if (total("attacks_detected") != total("attacks_total")) {
            violations.add("attacks_detected = " + total("attacks_detected") + " of attacks_total = "
                    + total("attacks_total"));
        }
        floors.minimum().forEach((figure, floor) -> {
            if (total(figure) < floor) {
                violations.add(figure + " = " + total(figure) + ", below its floor of " + floor);
            }
        });
        violations.sort(String::compareTo);
        return violations;
    }

    String table(String profile, long seconds) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%nReliability figures (%s profile, %d s)%n", profile, seconds));
        out.append(String.format("%-28s %14s  %s%n", "figure", "total", "by source"));
        for (String figure : reported()) {
            out.append(
                    String.format("%-28s %,14d  %s%n", figure, total(figure), bySource.getOrDefault(figure, Map.of())));
        }
        bySource.keySet().stream()
                .filter(f -> !reported().contains(f))
                .forEach(f -> out.append(String.format("%-28s %,14d  %s%n", f, total(f), bySource.get(f))));
        return out.toString();
    }
}
