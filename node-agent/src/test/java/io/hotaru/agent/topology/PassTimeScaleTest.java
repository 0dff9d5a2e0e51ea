package io.hotaru.agent.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PassTimeScaleTest {

    @Test
    void theDefaultTopologyPassesWithinTheFirstMinute() {
        Topology t = TopologyLoader.loadDefault();
        PassTimeScale.FirstPass first =
                PassTimeScale.firstPass(t, Duration.ofMinutes(1)).orElseThrow();

        // frozen from PassPredictor (SGP4, UKube-1 elements of 2016-03-19) over gs-kashima, mask 15 deg
        assertThat(first.link().id()).isEqualTo("sat-gsh");
        assertThat(first.pass().aos().toString()).startsWith("2016-03-20T02:33:01");
        assertThat(first.pass().los().toString()).startsWith("2016-03-20T02:40:04");
        assertThat(first.timeScale()).isEqualTo(11);

        assertThat(first.wallClockToLos(t.start())).isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(first.wallClockToAos(t.start())).isGreaterThan(Duration.ZERO);
        // the smallest such scale: one less and the pass would end after the first minute
        double losAtOneLess = t.start().secondsUntil(first.pass().los()) / (first.timeScale() - 1);
        assertThat(losAtOneLess).isGreaterThan(60.0);
    }

    @Test
    void aTopologyWithoutSatelliteLinksHasNoPass() {
        Topology t = TopologyLoader.loadDefault();
        Topology fibreOnly = new Topology(t.name(), t.start(), t.nodes(), t.fibreLinks(), java.util.List.of());
        assertThat(PassTimeScale.firstPass(fibreOnly, Duration.ofMinutes(1))).isEmpty();
    }
}
