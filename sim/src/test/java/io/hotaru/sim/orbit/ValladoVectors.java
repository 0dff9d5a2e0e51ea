package io.hotaru.sim.orbit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The SGP4 verification set of Vallado et al. (2006), read from the test resources {@code
 * SGP4-VER.TLE} (element sets, each line 2 followed by start, stop and step in minutes) and {@code
 * tcppver.out} (the reference output: a block "NNNNN xx" per element set, then lines of minutes
 * since epoch and TEME position (km) and velocity (km/s)). Element sets and output blocks are
 * paired in file order.
 */
final class ValladoVectors {

    /** One reference state: minutes since epoch, TEME position in km. */
    record Expected(double minutes, double xKm, double yKm, double zKm) {}

    /** One verification case: the element set and every reference state listed for it. */
    record Case(int index, Tle tle, List<Expected> expected) {
        @Override
        public String toString() {
            return String.format("#%02d %05d (%.1f min)", index, tle.catalogNumber(), tle.periodMinutes());
        }
    }

    /** The catalogue numbers whose element sets are built to make SGP4 stop with an error. */
    static final List<Integer> ERROR_CASES = List.of(33333, 33334, 33335);

    private ValladoVectors() {}

    static List<Case> load() {
        List<String[]> elementSets = elementSets(lines("SGP4-VER.TLE"));
        List<List<Expected>> blocks = outputBlocks(lines("tcppver.out"));
        if (elementSets.size() != blocks.size()) {
            throw new IllegalStateException(
                    elementSets.size() + " element sets but " + blocks.size() + " output blocks");
        }
        List<Case> cases = new ArrayList<>();
        for (int i = 0; i < elementSets.size(); i++) {
            String[] lines = elementSets.get(i);
            cases.add(new Case(i + 1, Tle.parse(lines[0], lines[1]), blocks.get(i)));
        }
        return cases;
    }

    /**
     * Pairs of TLE lines, cut to 69 columns. The error cases 33333-33335 were made by editing
     * elements without updating the checksum; their checksums are recomputed here (the checksum is
     * not an input to SGP4).
     */
    private static List<String[]> elementSets(List<String> lines) {
        List<String> data = lines.stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .collect(Collectors.toList());
        List<String[]> sets = new ArrayList<>();
        for (int i = 0; i + 1 < data.size(); i += 2) {
            String line1 = data.get(i).substring(0, Tle.LINE_LENGTH);
            String line2 = data.get(i + 1).substring(0, Tle.LINE_LENGTH);
            int catalog = Integer.parseInt(line1.substring(2, 7).strip());
            if (ERROR_CASES.contains(catalog)) {
                line1 = withChecksum(line1);
                line2 = withChecksum(line2);
            }
            sets.add(new String[] {line1, line2});
        }
        return sets;
    }

    static String withChecksum(String line) {
        return line.substring(0, Tle.LINE_LENGTH - 1) + Tle.checksum(line);
    }

    private static List<List<Expected>> outputBlocks(List<String> lines) {
        List<List<Expected>> blocks = new ArrayList<>();
        for (String line : lines) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 2 && fields[1].equals("xx")) {
                blocks.add(new ArrayList<>());
            } else if (fields.length >= 4 && !blocks.isEmpty()) {
                blocks.get(blocks.size() - 1)
                        .add(new Expected(
                                Double.parseDouble(fields[0]),
                                Double.parseDouble(fields[1]),
                                Double.parseDouble(fields[2]),
                                Double.parseDouble(fields[3])));
            }
        }
        return blocks;
    }

    private static List<String> lines(String resource) {
        try (InputStream in = ValladoVectors.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + resource);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            return reader.lines().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
