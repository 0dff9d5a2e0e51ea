package io.hotaru.sim.orbit;

import java.util.List;
import java.util.stream.Collectors;
import org.orekit.frames.Frame;
import org.orekit.frames.Frames;
import org.orekit.time.AbsoluteDate;
import org.orekit.time.DateComponents;
import org.orekit.time.OffsetModel;
import org.orekit.time.TimeOffset;
import org.orekit.time.TimeScales;
import org.orekit.time.UTCScale;

/**
 * The few Orekit time scales and frames this package needs, built from {@link LeapSeconds} alone.
 *
 * <p>Orekit's default data context would look for the orekit-data files (leap seconds, Earth
 * orientation) on disk or the network; nothing here touches it. SGP4 needs only UTC (for the element
 * set epoch) and the TEME frame it produces positions in, and neither needs Earth orientation
 * parameters, so none are supplied.
 */
final class OrekitContext {

    static final TimeScales TIME_SCALES = TimeScales.of(offsets(), (conventions, scales) -> List.of());

    static final UTCScale UTC = TIME_SCALES.getUTC();

    static final Frame TEME =
            Frames.of(TIME_SCALES, OrekitContext::noCelestialBodies).getTEME();

    private static final AbsoluteDate POSIX_EPOCH = new AbsoluteDate(1970, 1, 1, UTC);

    private OrekitContext() {}

    static AbsoluteDate toDate(UtcTime time) {
        return new AbsoluteDate(POSIX_EPOCH, new TimeOffset(time.epochMillis(), TimeOffset.MILLISECOND), UTC);
    }

    /** POSIX seconds (leap seconds not counted) of {@code date}. */
    static double toEpochSeconds(AbsoluteDate date) {
        return date.offsetFrom(POSIX_EPOCH, UTC);
    }

    private static List<OffsetModel> offsets() {
        return LeapSeconds.STEPS.stream()
                .map(step ->
                        new OffsetModel(new DateComponents(step.year(), step.month(), step.day()), step.taiMinusUtc()))
                .collect(Collectors.toList());
    }

    private static Frame noCelestialBodies() {
        throw new UnsupportedOperationException("the orbit package uses no ICRF-based frame");
    }
}
