package io.hotaru.sim.orbit;

import org.hipparchus.exception.MathRuntimeException;
import org.hipparchus.geometry.euclidean.threed.Vector3D;
import org.orekit.attitudes.FrameAlignedProvider;
import org.orekit.errors.OrekitException;
import org.orekit.propagation.analytical.tle.TLE;
import org.orekit.propagation.analytical.tle.TLEPropagator;
import org.orekit.time.AbsoluteDate;
import org.orekit.utils.PVCoordinates;

/**
 * SGP4/SDP4 propagation of one element set, by Orekit's implementation of the Vallado et al. (2006)
 * revision ("Revisiting Spacetrack Report #3", WGS-72 constants). Positions are in TEME.
 *
 * <p>Not thread-safe (Orekit's propagator keeps state); make one per thread.
 */
public final class Sgp4Propagator {

    private static final double SATELLITE_MASS_KG = 1000.0;

    private final Tle tle;
    private final TLEPropagator propagator;
    private final AbsoluteDate epoch;

    public Sgp4Propagator(Tle tle) {
        this.tle = tle;
        try {
            TLE elements = new TLE(tle.line1(), tle.line2(), OrekitContext.UTC);
            this.propagator = TLEPropagator.selectExtrapolator(
                    elements, new FrameAlignedProvider(OrekitContext.TEME), SATELLITE_MASS_KG, OrekitContext.TEME);
            this.epoch = elements.getDate();
        } catch (OrekitException | MathRuntimeException e) {
            throw new PropagationException(tle.catalogNumber(), 0.0, e);
        }
    }

    public Tle tle() {
        return tle;
    }

    /** The TEME state {@code minutes} after the element set epoch (negative for earlier). */
    public TemeState propagateMinutes(double minutes) {
        return stateAt(epoch.shiftedBy(minutes * 60.0), minutes);
    }

    /** The TEME state at {@code time}. */
    public TemeState stateAt(UtcTime time) {
        AbsoluteDate date = OrekitContext.toDate(time);
        return stateAt(date, date.durationFrom(epoch) / 60.0);
    }

    /** Minutes from the element set epoch to {@code time}. */
    public double minutesSinceEpoch(UtcTime time) {
        return OrekitContext.toDate(time).durationFrom(epoch) / 60.0;
    }

    private TemeState stateAt(AbsoluteDate date, double minutes) {
        PVCoordinates pv;
        try {
            pv = propagator.getPVCoordinates(date);
        } catch (OrekitException | MathRuntimeException e) {
            throw new PropagationException(tle.catalogNumber(), minutes, e);
        }
        Vector3D p = pv.getPosition();
        Vector3D v = pv.getVelocity();
        if (!Double.isFinite(p.getNorm()) || !Double.isFinite(v.getNorm())) {
            throw new PropagationException(
                    tle.catalogNumber(), minutes, new ArithmeticException("non-finite position or velocity"));
        }
        return new TemeState(p.getX(), p.getY(), p.getZ(), v.getX(), v.getY(), v.getZ());
    }
}
