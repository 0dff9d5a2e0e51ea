package io.hotaru.sim.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PassPredictorTest {

    private static final Tle ISS = TestElements.ISS;
    private static final UtcTime START = ISS.epoch().plusSeconds(3600.0);
    private static final Duration DAY = Duration.ofHours(24);

    @ParameterizedTest(name = "station {0},{1},{2} mask {3}")
    @CsvSource({
        "35.68, 139.77, 40, 0", // Tokyo
        "48.21, 16.37, 200, 0", // Vienna
        "48.21, 16.37, 200, 10",
        "1.35, 103.82, 15, 5", // Singapore
        "-33.87, 151.21, 50, 0", // Sydney
        "64.84, -147.72, 140, 0", // Fairbanks
    })
    void passesHaveAPlausibleShape(double lat, double lon, double alt, double mask) {
        PassPredictor predictor = new PassPredictor(ISS, new GroundStation(lat, lon, alt));

        List<SatellitePass> passes = predictor.predict(START, DAY, mask);

        assertThat(passes).isNotEmpty().hasSizeLessThan(12);
        for (int i = 0; i < passes.size(); i++) {
            SatellitePass pass = passes.get(i);
            assertThat(pass.minElevationDeg()).isEqualTo(mask);
            assertThat(pass.durationSeconds()).isPositive().isLessThan(15 * 60);
            assertThat(pass.aos()).isLessThan(pass.maxElevationTime());
            assertThat(pass.maxElevationTime()).isLessThan(pass.los());
            assertThat(pass.maxElevationDeg()).isGreaterThan(mask).isLessThanOrEqualTo(90.0);
            assertThat(predictor.lookAngles(pass.aos()).elevationDeg()).isCloseTo(mask, within(0.01));
            assertThat(predictor.lookAngles(pass.los()).elevationDeg()).isCloseTo(mask, within(0.01));
            assertThat(pass.minRangeM())
                    .isLessThan(predictor.lookAngles(pass.aos()).rangeM());
            assertThat(pass.minRangeM()).isBetween(300e3, 2_600e3);
            if (i > 0) {
                assertThat(passes.get(i - 1).los()).isLessThan(pass.aos());
            }
        }
    }

    @Test
    void samplerFollowsThePassFromAosToLos() {
        PassPredictor predictor = new PassPredictor(ISS, new GroundStation(48.21, 16.37, 200));
        SatellitePass pass = predictor.predict(START, DAY, 10.0).get(0);

        List<PassSample> samples = predictor.sample(pass, Duration.ofSeconds(1));

        assertThat(samples.get(0).time()).isEqualTo(pass.aos());
        assertThat(samples.get(samples.size() - 1).time()).isEqualTo(pass.los());
        assertThat(samples).hasSize((int) Math.ceil(pass.durationSeconds()) + 1);
        double highest =
                samples.stream().mapToDouble(PassSample::elevationDeg).max().orElseThrow();
        double closest = samples.stream().mapToDouble(PassSample::rangeM).min().orElseThrow();
        assertThat(highest).isLessThanOrEqualTo(pass.maxElevationDeg()).isCloseTo(pass.maxElevationDeg(), within(0.05));
        assertThat(closest).isGreaterThanOrEqualTo(pass.minRangeM()).isCloseTo(pass.minRangeM(), within(100.0));
        assertThat(samples).allSatisfy(s -> {
            assertThat(s.elevationDeg()).isGreaterThan(10.0 - 0.01);
            assertThat(s.azimuthDeg()).isBetween(0.0, 360.0);
        });
        // The range shrinks until the closest approach and grows after it.
        assertThat(samples.get(1).rangeRateMps()).isNegative();
        assertThat(samples.get(samples.size() - 2).rangeRateMps()).isPositive();
    }

    @Test
    void aHigherMaskGivesShorterPassesInsideTheLowerMaskOnes() {
        PassPredictor predictor = new PassPredictor(ISS, new GroundStation(35.68, 139.77, 40));

        List<SatellitePass> horizon = predictor.predict(START, DAY);
        List<SatellitePass> masked = predictor.predict(START, DAY, 20.0);

        assertThat(masked).isNotEmpty().hasSizeLessThanOrEqualTo(horizon.size());
        for (SatellitePass inner : masked) {
            assertThat(horizon).anySatisfy(outer -> {
                assertThat(outer.aos()).isLessThan(inner.aos());
                assertThat(outer.los()).isGreaterThan(inner.los());
                assertThat(outer.maxElevationTime().secondsUntil(inner.maxElevationTime()))
                        .isCloseTo(0.0, within(0.05));
            });
        }
    }

    /**
     * A station put exactly under the satellite at a chosen time sees it at the zenith then, at a
     * range equal to the satellite's height above the ellipsoid.
     */
    @Test
    void stationUnderTheSatelliteSeesItOverhead() {
        UtcTime overhead = START.plusSeconds(3 * 3600.0 + 17.0);
        double[] sat = EarthRotation.toEarthFixed(new Sgp4Propagator(ISS).stateAt(overhead), overhead);
        double[] geodetic = geodetic(sat[0], sat[1], sat[2]);
        PassPredictor predictor = new PassPredictor(ISS, new GroundStation(geodetic[0], geodetic[1], 0.0));

        List<SatellitePass> passes = predictor.predict(overhead.plusSeconds(-1200), Duration.ofMinutes(40));

        assertThat(passes).hasSize(1);
        SatellitePass pass = passes.get(0);
        assertThat(pass.maxElevationDeg()).isGreaterThan(89.9);
        assertThat(pass.maxElevationTime().secondsUntil(overhead)).isCloseTo(0.0, within(0.05));
        // The closest approach is a second or so off the zenith when the height is changing.
        assertThat(pass.minRangeM()).isCloseTo(geodetic[2], within(5.0));
        assertThat(pass.durationSeconds()).isBetween(9 * 60.0, 12 * 60.0);
    }

    @Test
    void passesInProgressAtTheWindowEdgesAreCutAndFlagged() {
        PassPredictor predictor = new PassPredictor(ISS, new GroundStation(48.21, 16.37, 200));
        SatellitePass whole = predictor.predict(START, DAY).get(0);
        UtcTime middle = whole.maxElevationTime();

        List<SatellitePass> first = predictor.predict(whole.aos().plusSeconds(-60), Duration.ofMillis((long)
                (whole.aos().plusSeconds(-60).secondsUntil(middle) * 1000)));
        List<SatellitePass> second = predictor.predict(middle, Duration.ofMinutes(30));

        assertThat(first).hasSize(1);
        assertThat(first.get(0).endsAfterWindow()).isTrue();
        assertThat(first.get(0).los()).isEqualTo(middle);
        assertThat(second.get(0).startsBeforeWindow()).isTrue();
        assertThat(second.get(0).aos()).isEqualTo(middle);
        assertThat(second.get(0).los()).isEqualTo(whole.los());
    }

    @Test
    void rejectsBadSearchParameters() {
        PassPredictor predictor = new PassPredictor(ISS, new GroundStation(0, 0, 0));

        assertThatThrownBy(() -> predictor.predict(START, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("duration");
        assertThatThrownBy(() -> predictor.predict(START, DAY, 90.0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("minimum elevation");
        assertThatThrownBy(() -> predictor.sample(START, START.plusSeconds(10), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("step");
    }

    /** Geodetic latitude (deg), longitude (deg) and height (m) on WGS-84 of an Earth-fixed point. */
    private static double[] geodetic(double x, double y, double z) {
        double p = Math.hypot(x, y);
        double lat = Math.atan2(z, p * (1.0 - GroundStation.WGS84_E2));
        double height = 0.0;
        for (int i = 0; i < 20; i++) {
            double sin = Math.sin(lat);
            double n = GroundStation.WGS84_A_M / Math.sqrt(1.0 - GroundStation.WGS84_E2 * sin * sin);
            height = p / Math.cos(lat) - n;
            lat = Math.atan2(z, p * (1.0 - GroundStation.WGS84_E2 * n / (n + height)));
        }
        return new double[] {Math.toDegrees(lat), Math.toDegrees(Math.atan2(y, x)), height};
    }
}
