package io.hotaru.sim.orbit;

import static io.hotaru.sim.orbit.TestElements.ISS_LINE_1;
import static io.hotaru.sim.orbit.TestElements.ISS_LINE_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TleTest {

    @Test
    void parsesTheFieldsOfAValidElementSet() {
        Tle tle = Tle.parse("  ISS (ZARYA) ", ISS_LINE_1, ISS_LINE_2 + "   ");

        assertThat(tle.name()).isEqualTo("ISS (ZARYA)");
        assertThat(tle.catalogNumber()).isEqualTo(25544);
        assertThat(tle.internationalDesignator()).isEqualTo("98067A");
        assertThat(tle.epoch()).isEqualTo(UtcTime.parse("2008-09-20T12:25:40.104Z"));
        assertThat(tle.meanMotionRevPerDay()).isEqualTo(15.72125391);
        assertThat(tle.eccentricity()).isEqualTo(0.0006703);
        assertThat(tle.inclinationDeg()).isEqualTo(51.6416);
        assertThat(tle.bstar()).isCloseTo(-0.11606e-4, within(1e-15));
        assertThat(tle.periodMinutes()).isCloseTo(91.6, within(0.1));
        assertThat(tle.isDeepSpace()).isFalse();
        assertThat(tle.line2()).hasSize(Tle.LINE_LENGTH);
        assertThat(tle.label()).isEqualTo("ISS (ZARYA)");
        assertThat(Tle.parse(ISS_LINE_1, ISS_LINE_2).label()).isEqualTo("25544");
    }

    @Test
    void badChecksumOnLineOneNamesTheLineAndBothDigits() {
        String bad = ISS_LINE_1.substring(0, 68) + "5";

        assertThatThrownBy(() -> Tle.parse("ISS", bad, ISS_LINE_2))
                .isInstanceOf(IllegalArgumentException.class)
                .isInstanceOf(TleFormatException.class)
                .hasMessage("TLE line 1: checksum (column 69) expected 7, found '5'")
                .satisfies(e -> assertThat(((TleFormatException) e).tleLine()).isEqualTo(1));
    }

    @Test
    void badChecksumOnLineTwoNamesTheLineAndBothDigits() {
        String bad = ISS_LINE_2.replace("51.6416", "51.6417");

        assertThatThrownBy(() -> Tle.parse("ISS", ISS_LINE_1, bad))
                .isInstanceOf(TleFormatException.class)
                .hasMessage("TLE line 2: checksum (column 69) expected 8, found '7'");
    }

    @Test
    void rejectsLinesOfTheWrongLengthOrNumber() {
        assertThatThrownBy(() -> Tle.parse(ISS_LINE_1.substring(0, 60), ISS_LINE_2))
                .hasMessageStartingWith("TLE line 1: expected 69 characters, found 60");
        assertThatThrownBy(() -> Tle.parse(ISS_LINE_2, ISS_LINE_1))
                .hasMessageStartingWith("TLE line 1: must start with '1 '");
        assertThatThrownBy(() -> Tle.parse(ISS_LINE_1, null)).hasMessage("TLE line 2: missing");
    }

    @Test
    void rejectsLinesOfDifferentSatellites() {
        String other = ValladoVectors.withChecksum(ISS_LINE_2.replace("2 25544", "2 25545"));

        assertThatThrownBy(() -> Tle.parse(ISS_LINE_1, other))
                .isInstanceOf(TleFormatException.class)
                .hasMessage("TLE: catalogue number 25544 on line 1 does not match 25545 on line 2");
    }

    @Test
    void rejectsFieldsThatAreNotNumbersOrOutOfRange() {
        String badEccentricity = ValladoVectors.withChecksum(ISS_LINE_2.replace("0006703", "00067x3"));
        String badInclination = ValladoVectors.withChecksum(ISS_LINE_2.replace(" 51.6416", "181.6416"));
        String badEpoch = ValladoVectors.withChecksum(ISS_LINE_1.replace("08264.5", "08399.5"));

        assertThatThrownBy(() -> Tle.parse(ISS_LINE_1, badEccentricity))
                .hasMessage("TLE line 2: eccentricity (columns 27-33) is not a number: '00067x3'");
        assertThatThrownBy(() -> Tle.parse(ISS_LINE_1, badInclination))
                .hasMessageStartingWith("TLE line 2: inclination (columns 9-16) must be in [0, 180] degrees");
        assertThatThrownBy(() -> Tle.parse(badEpoch, ISS_LINE_2))
                .hasMessageStartingWith("TLE line 1: epoch day of year (columns 21-32) must be in [1, 367)");
    }

    @Test
    void readsAlpha5CatalogueNumbers() {
        String line1 = ValladoVectors.withChecksum(ISS_LINE_1.replace("1 25544U", "1 A0001U"));
        String line2 = ValladoVectors.withChecksum(ISS_LINE_2.replace("2 25544", "2 A0001"));

        assertThat(Tle.parse(line1, line2).catalogNumber()).isEqualTo(100_001);
    }

    @Test
    void checksumCountsDigitsAndMinusSigns() {
        assertThat(Tle.checksum(ISS_LINE_1)).isEqualTo(7);
        assertThat(Tle.checksum(ISS_LINE_2)).isEqualTo(7);
    }
}
