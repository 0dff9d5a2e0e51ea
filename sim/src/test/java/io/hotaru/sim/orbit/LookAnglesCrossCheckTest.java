package io.hotaru.sim.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.junit.jupiter.api.Test;
import org.orekit.bodies.GeodeticPoint;
import org.orekit.bodies.OneAxisEllipsoid;
import org.orekit.frames.Frame;
import org.orekit.frames.Frames;
import org.orekit.frames.TopocentricFrame;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.Constants;
import org.orekit.utils.IERSConventions;

/**
 * The GMST shortcut of {@link EarthRotation} against Orekit's full IERS 2010 chain from TEME to
 * ITRF (with zero Earth orientation parameters, as the shortcut assumes). Measured: 3e-5 degrees of
 * elevation and 0.5 m of range over a day of ISS passes; the bounds leave a margin. Real UT1 - UTC
 * and polar motion add the errors described in {@link EarthRotation}.
 */
class LookAnglesCrossCheckTest {

    @Test
    void lookAnglesMatchOrekitTopocentricFrame() {
        Frames frames = Frames.of(OrekitContext.TIME_SCALES, () -> {
            throw new UnsupportedOperationException();
        });
        Frame itrf = frames.getITRF(IERSConventions.IERS_2010, true);
        OneAxisEllipsoid earth =
                new OneAxisEllipsoid(Constants.WGS84_EARTH_EQUATORIAL_RADIUS, Constants.WGS84_EARTH_FLATTENING, itrf);
        GroundStation station = new GroundStation(48.21, 16.37, 200.0);
        TopocentricFrame topocentric = new TopocentricFrame(
                earth,
                new GeodeticPoint(
                        Math.toRadians(station.latitudeDeg()),
                        Math.toRadians(station.longitudeDeg()),
                        station.altitudeM()),
                "station");
        PassPredictor predictor = new PassPredictor(TestElements.ISS, station);
        Sgp4Propagator propagator = new Sgp4Propagator(TestElements.ISS);
        UtcTime start = TestElements.ISS.epoch().plusSeconds(3600.0);
        List<SatellitePass> passes = predictor.predict(start, Duration.ofHours(24));
        assertThat(passes).isNotEmpty();

        double worstElevation = 0.0;
        double worstRange = 0.0;
        for (SatellitePass pass : passes) {
            for (PassSample sample : predictor.sample(pass, Duration.ofSeconds(30))) {
                TemeState teme = propagator.stateAt(sample.time());
                AbsoluteDate date = OrekitContext.toDate(sample.time());
                Vector3D position = OrekitContext.TEME
                        .getStaticTransformTo(topocentric, date)
                        .transformPosition(new Vector3D(teme.x(), teme.y(), teme.z()));
                double elevation = Math.toDegrees(Math.asin(position.getZ() / position.getNorm()));
                double azimuth = Math.toDegrees(Math.atan2(position.getX(), position.getY()));
                azimuth = azimuth < 0 ? azimuth + 360.0 : azimuth;
                worstElevation = Math.max(worstElevation, Math.abs(elevation - sample.elevationDeg()));
                worstRange = Math.max(worstRange, Math.abs(position.getNorm() - sample.rangeM()));
                if (sample.elevationDeg() < 80.0) {
                    assertThat(sample.azimuthDeg()).isCloseTo(azimuth, within(0.001));
                }
            }
        }
        System.out.printf(
                "GMST shortcut vs Orekit IERS 2010 TEME->ITRF: max |d elevation| %.5f deg, max |d range| %.2f m%n",
                worstElevation, worstRange);
        assertThat(worstElevation).isLessThan(0.001);
        assertThat(worstRange).isLessThan(5.0);
    }
}
