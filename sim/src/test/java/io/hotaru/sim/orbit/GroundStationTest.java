package io.hotaru.sim.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GroundStationTest {

    @Test
    void parsesLatitudeLongitudeAltitude() {
        assertThat(GroundStation.parse(" 35.68, 139.77 ,40")).isEqualTo(new GroundStation(35.68, 139.77, 40.0));
    }

    @Test
    void rejectsOutOfRangeFieldsByName() {
        assertThatThrownBy(() -> new GroundStation(90.5, 0, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("station latitude must be in [-90, 90] degrees, was 90.5");
        assertThatThrownBy(() -> new GroundStation(Double.NaN, 0, 0)).hasMessageContaining("latitude");
        assertThatThrownBy(() -> new GroundStation(0, 400, 0)).hasMessageContaining("longitude");
        assertThatThrownBy(() -> new GroundStation(0, 0, 1e6)).hasMessageContaining("altitude");
        assertThatThrownBy(() -> GroundStation.parse("35,139")).hasMessageContaining("LAT,LON,ALT_M");
        assertThatThrownBy(() -> GroundStation.parse("35,east,0"))
                .hasMessage("station longitude is not a number: 'east'");
    }

    @Test
    void earthFixedPositionOnTheWgs84Ellipsoid() {
        double[] equator = new GroundStation(0, 90, 0).earthFixed();
        double[] pole = new GroundStation(90, 0, 100).earthFixed();

        assertThat(equator[0]).isCloseTo(0.0, within(1e-6));
        assertThat(equator[1]).isCloseTo(6_378_137.0, within(1e-6));
        assertThat(pole[2]).isCloseTo(6_356_752.314 + 100.0, within(1e-3));
    }

    @Test
    void greenwichMeanSiderealTimeMatchesValladoExample3_5() {
        // Vallado, Fundamentals of Astrodynamics and Applications, example 3-5: 1992-08-20 12:14 UT1.
        double gmst = Math.toDegrees(EarthRotation.gmstRadians(UtcTime.of(1992, 8, 20, 12, 14, 0.0)));

        // Agreement to 1e-6 degrees is 0.24 ms of Earth rotation.
        assertThat(gmst).isCloseTo(152.578787886, within(1e-6));
    }
}
