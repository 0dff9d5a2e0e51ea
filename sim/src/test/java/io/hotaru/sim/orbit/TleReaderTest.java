package io.hotaru.sim.orbit;

import static io.hotaru.sim.orbit.TestElements.ISS_LINE_1;
import static io.hotaru.sim.orbit.TestElements.ISS_LINE_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TleReaderTest {

    private static final String OTHER_LINE_1 = "1 28057U 03049A   06177.78615833  .00000060  00000-0  35940-4 0  1836";
    private static final String OTHER_LINE_2 = "2 28057  98.4283 247.6961 0000884  88.1964 271.9322 14.35478080140550";

    @Test
    void readsNamedUnnamedAndSpaceTrackThreeLineSets() {
        String text = String.join(
                "\r\n",
                "ISS (ZARYA)",
                ISS_LINE_1,
                ISS_LINE_2,
                "",
                OTHER_LINE_1,
                OTHER_LINE_2,
                "0 CBERS 2",
                OTHER_LINE_1,
                OTHER_LINE_2,
                "");

        List<Tle> sets = TleReader.parse("stations.txt", text);

        assertThat(sets).extracting(Tle::name).containsExactly("ISS (ZARYA)", "", "CBERS 2");
        assertThat(sets).extracting(Tle::catalogNumber).containsExactly(25544, 28057, 28057);
    }

    @Test
    void badChecksumNamesTheFileLineAndTheTleLine() {
        String bad = ISS_LINE_2.substring(0, 68) + "0";
        List<String> lines = List.of(OTHER_LINE_1, OTHER_LINE_2, "ISS (ZARYA)", ISS_LINE_1, bad);

        assertThatThrownBy(() -> TleReader.parse("stations.txt", lines))
                .isInstanceOf(TleFormatException.class)
                .hasMessage("stations.txt:5: TLE line 2: checksum (column 69) expected 7, found '0'")
                .satisfies(e -> {
                    TleFormatException tle = (TleFormatException) e;
                    assertThat(tle.source()).isEqualTo("stations.txt");
                    assertThat(tle.sourceLine()).isEqualTo(5);
                    assertThat(tle.tleLine()).isEqualTo(2);
                });
    }

    @Test
    void missingLinesAreReported() {
        assertThatThrownBy(() -> TleReader.parse("a.tle", List.of("ISS", ISS_LINE_1)))
                .hasMessage("a.tle:2: TLE line 2: missing after line 1");
        assertThatThrownBy(() -> TleReader.parse("a.tle", List.of("ISS", "NOT A TLE", ISS_LINE_1, ISS_LINE_2)))
                .hasMessage("a.tle:1: TLE line 1: expected line 1 after the name line 'ISS'");
    }
}
