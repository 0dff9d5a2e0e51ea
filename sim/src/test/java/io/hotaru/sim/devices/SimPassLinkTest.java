package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.drivers.TagBatch;
import io.hotaru.sim.params.ParameterSets;
import io.hotaru.sim.physics.PassGeometry;
import io.hotaru.sim.physics.QuantumChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A simulated link over a satellite pass given through {@link SimLinkConfig#withChannel}. */
class SimPassLinkTest {

    private static final String URI = "sim:bob?link=sat&seed=9&params=micius";

    /** A 60° pass of the micius set's 500 km orbit, compressed so that it lasts about 20 link seconds. */
    private static QuantumChannel pass() {
        PassGeometry orbit = PassGeometry.synthetic(500, 60, 15, 5);
        double[] t = new double[orbit.sampleCount()];
        double[] range = new double[t.length];
        double[] elevation = new double[t.length];
        double compression = orbit.durationSeconds() / 20;
        for (int i = 0; i < t.length; i++) {
            t[i] = orbit.secondsAt(i) / compression;
            range[i] = orbit.rangeMAt(i);
            elevation[i] = orbit.elevationDegAt(i);
        }
        return ParameterSets.load("micius")
                .passModel(new PassGeometry(t, range, elevation), false)
                .channel();
    }

    @Test
    void theDetectionRateFollowsThePassAndTheModelSaysSo() {
        QuantumChannel channel = pass();
        SimLinkConfig config = SimLinkConfig.parse(URI).withChannel(channel);
        assertThat(config.model().channel()).isSameAs(channel);
        assertThat(SimLinkConfig.parse(URI).model().channel().isConstant()).isTrue();

        AtomicLong nowNs = new AtomicLong();
        SimTimeTagger bob = new SimTimeTagger(config, nowNs::get);
        bob.start();
        long atRise = clicksDuring(bob, nowNs, 0.1);
        nowNs.set(10_000_000_000L - 100_000_000L); // skip to the culmination, 10 s in
        bob.read(new TagBatch(1 << 22)); // drop what came meanwhile
        long atCulmination = clicksDuring(bob, nowNs, 0.1);
        // about 35 dB at 15° and 23 dB at 60°: over ten times more clicks at the culmination
        assertThat(atCulmination).isGreaterThan(10 * atRise);
        assertThat(atRise).isPositive();
        double expectedRise = config.model().analyticAt(0.05).detectionsPerSecond() * 0.1;
        assertThat((double) atRise).isBetween(0.8 * expectedRise, 1.2 * expectedRise);
    }

    @Test
    void theSelfTestOverAPassComparesWithThePass() {
        SimTimeTagger bob = new SimTimeTagger(SimLinkConfig.parse(URI).withChannel(pass()), () -> 0);
        var result = bob.selfTest();
        assertThat(result.passed()).as(result.detail()).isTrue();
        assertThat(result.detail()).contains("changing channel");
    }

    private static long clicksDuring(SimTimeTagger bob, AtomicLong nowNs, double seconds) {
        nowNs.addAndGet(Math.round(seconds * 1e9));
        TagBatch batch = new TagBatch(1 << 16);
        long total = 0;
        int n;
        while ((n = bob.read(batch)) > 0) {
            total += n;
        }
        return total;
    }
}
