package io.hotaru.reliability.figures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Where a campaign test (fuzzing, forgery, crashes) leaves its counts for the reliability report:
 * one line {@code figure<TAB>source<TAB>value} appended to {@code figures.tsv} in the directory the
 * build names in {@code hotaru.figures.dir} (set by the {@code reliability} profiles; unset, nothing
 * is written). The {@code reliability} module sums the lines into reliability-figures.json. The
 * invariant figures (keys lost, duplicated, disagreeing) come from {@link KeyHistory}.
 */
public final class ReliabilityFigures {
    private ReliabilityFigures() {}

    /** The count a campaign runs: the system property {@code name} when set, else {@code byDefault}. */
    public static int count(String name, int byDefault) {
        return Integer.getInteger(name, byDefault);
    }

    public static void record(String figure, String source, long value) {
        String dir = System.getProperty("hotaru.figures.dir", "");
        if (dir.isBlank()) {
            return;
        }
        try {
            Path file = Path.of(dir).resolve("figures.tsv");
            Files.createDirectories(file.getParent());
            Files.writeString(
                    file,
                    figure + '\t' + source + '\t' + value + '\n',
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record figure " + figure + " in " + dir, e);
        }
    }
}
