package io.hotaru.agent.demo;

import io.hotaru.agent.topology.SatelliteLink;
import io.hotaru.sim.orbit.SatellitePass;
import io.hotaru.sim.params.ParameterSets;
import io.hotaru.sim.physics.PassGeometry;
import io.hotaru.sim.physics.QuantumChannel;
import io.hotaru.sim.run.Passes;
import java.time.Duration;

/**
 * The optical channel of a satellite link over one pass, on the demo's compressed time: the pass's
 * range and elevation from SGP4 ({@link Passes#geometry}), the free-space loss of the link's
 * parameter set ({@code PassChannel}, night-time background), with the pass's time axis divided by
 * {@code compression} so that a link second covers {@code compression} orbit seconds.
 */
final class PassChannels {

    /** Orbit time between two geometry samples. */
    static final Duration SAMPLE_STEP = Duration.ofSeconds(5);

    private PassChannels() {}

    /**
     * The channel of {@code pass} with link time 0 at {@code startOrbitSeconds} after AOS.
     *
     * @param compression orbit seconds per link second (pass time scale / link time scale)
     */
    static QuantumChannel of(SatelliteLink link, SatellitePass pass, double compression, double startOrbitSeconds) {
        PassGeometry orbit = Passes.geometry(link.tle(), link.groundStation(), pass, SAMPLE_STEP);
        double[] t = new double[orbit.sampleCount()];
        double[] range = new double[t.length];
        double[] elevation = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            t[i] = orbit.secondsAt(i) / compression;
            range[i] = orbit.rangeMAt(i);
            elevation[i] = orbit.elevationDegAt(i);
        }
        QuantumChannel channel = ParameterSets.load(link.parameterSet())
                .passModel(new PassGeometry(t, range, elevation), false)
                .channel();
        double offset = Math.max(0, startOrbitSeconds / compression);
        return offset == 0 ? channel : new Shifted(channel, offset);
    }

    /** A channel seen from {@code offset} link seconds on: a link end started after AOS. */
    private record Shifted(QuantumChannel channel, double offset) implements QuantumChannel {
        @Override
        public double transmittanceAt(double linkSeconds) {
            return channel.transmittanceAt(linkSeconds + offset);
        }

        @Override
        public double backgroundProbabilityAt(double linkSeconds) {
            return channel.backgroundProbabilityAt(linkSeconds + offset);
        }

        @Override
        public boolean isConstant() {
            return false;
        }
    }
}
