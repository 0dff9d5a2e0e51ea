package io.hotaru.sim.orbit;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads a list of element sets in two-line or three-line (name line first) form, as published by
 * CelesTrak and Space-Track, from text the caller has read (this package opens no files). Blank
 * lines are skipped; a name line may carry the "0 " prefix of Space-Track's 3LE format.
 */
public final class TleReader {

    private TleReader() {}

    /**
     * Parses every element set of {@code text}.
     *
     * @param source the file name or other origin, used in error messages
     * @throws TleFormatException naming {@code source}, its line number and the TLE line at fault
     */
    public static List<Tle> parse(String source, String text) {
        return parse(source, List.of(text.split("\\R", -1)));
    }

    /**
     * Parses every element set of {@code lines} (line 1 of the source is {@code lines.get(0)}).
     *
     * @throws TleFormatException naming {@code source}, its line number and the TLE line at fault
     */
    public static List<Tle> parse(String source, List<String> lines) {
        List<Tle> elementSets = new ArrayList<>();
        int i = 0;
        while (i < lines.size()) {
            if (lines.get(i).isBlank()) {
                i++;
                continue;
            }
            String name = "";
            int nameLine = 0;
            if (!isLine(lines.get(i), '1')) {
                nameLine = i + 1;
                name = lines.get(i).strip();
                if (name.startsWith("0 ")) {
                    name = name.substring(2).strip();
                }
                i++;
            }
            int first = i;
            int second = i + 1;
            if (first >= lines.size() || !isLine(lines.get(first), '1')) {
                throw new TleFormatException(1, "expected line 1 after the name line '" + name + "'")
                        .at(source, nameLine);
            }
            if (second >= lines.size()) {
                throw new TleFormatException(2, "missing after line 1").at(source, first + 1);
            }
            try {
                elementSets.add(Tle.parse(name, lines.get(first), lines.get(second)));
            } catch (TleFormatException e) {
                int at = e.tleLine() == 2 ? second + 1 : first + 1;
                throw e.at(source, at);
            }
            i = second + 1;
        }
        return elementSets;
    }

    private static boolean isLine(String line, char number) {
        return line.length() >= 2 && line.charAt(0) == number && line.charAt(1) == ' ';
    }
}
