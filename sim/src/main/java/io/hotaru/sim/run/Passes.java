package io.hotaru.sim.run;

import io.hotaru.sim.orbit.GroundStation;
import io.hotaru.sim.orbit.PassPredictor;
import io.hotaru.sim.orbit.PassSample;
import io.hotaru.sim.orbit.SatellitePass;
import io.hotaru.sim.orbit.Tle;
import io.hotaru.sim.physics.PassGeometry;
import java.time.Duration;
import java.util.List;

/** Pass geometry for the satellite channel from an SGP4 pass prediction. */
public final class Passes {

    private Passes() {}

    /** Range and elevation over {@code pass} of {@code tle} seen from {@code station}, every {@code step}. */
    public static PassGeometry geometry(Tle tle, GroundStation station, SatellitePass pass, Duration step) {
        List<PassSample> samples = new PassPredictor(tle, station).sample(pass, step);
        int n = samples.size();
        double[] t = new double[n];
        double[] range = new double[n];
        double[] el = new double[n];
        int m = 0;
        for (PassSample s : samples) {
            double seconds = pass.aos().secondsUntil(s.time());
            if (m > 0 && seconds <= t[m - 1]) {
                continue; // the last step may land on LOS itself
            }
            t[m] = seconds;
            range[m] = s.rangeM();
            el[m] = s.elevationDeg();
            m++;
        }
        return new PassGeometry(
                java.util.Arrays.copyOf(t, m), java.util.Arrays.copyOf(range, m), java.util.Arrays.copyOf(el, m));
    }
}
