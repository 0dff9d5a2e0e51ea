package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.hotaru.agent.mqtt.LinkTelemetry;
import io.hotaru.agent.state.LinkState;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LinkTelemetrySamplerTest {
    private static final Instant T0 = Instant.parse("2026-05-01T12:00:00Z");

    private static LinkTelemetrySampler.Figures receiver(long idleNanos) {
        return new LinkTelemetrySampler.Figures(
                LinkState.KEYGEN, null, null, null, 0, 0, 0, Double.NaN, Double.NaN, Map.of(), idleNanos);
    }

    @Test
    void receiverIdleIsTheShareOfThePeriodTheDistillerHadNoBlock() {
        LinkTelemetrySampler sampler = new LinkTelemetrySampler("ab");
        assertThat(sampler.sample(T0, receiver(5_000_000_000L)).receiverIdle())
                .as("no earlier sample")
                .isNaN();
        LinkTelemetry second = sampler.sample(T0.plusSeconds(10), receiver(7_500_000_000L));
        assertThat(second.receiverIdle()).isCloseTo(0.25, within(1e-12));
        LinkTelemetry busy = sampler.sample(T0.plusSeconds(20), receiver(7_500_000_000L));
        assertThat(busy.receiverIdle()).isZero();
    }

    @Test
    void receiverIdleIsUnknownAfterARestartAndAtATransmitter() {
        LinkTelemetrySampler sampler = new LinkTelemetrySampler("ab");
        sampler.sample(T0, receiver(9_000_000_000L));
        assertThat(sampler.sample(T0.plusSeconds(10), receiver(1_000_000_000L)).receiverIdle())
                .as("a new receiver's counter starts again")
                .isNaN();
        assertThat(sampler.sample(T0.plusSeconds(20), receiver(3_000_000_000L)).receiverIdle())
                .isCloseTo(0.2, within(1e-12));

        LinkTelemetrySampler transmitter = new LinkTelemetrySampler("ab");
        var figures = new LinkTelemetrySampler.Figures(LinkState.KEYGEN, null, null, null, 0, 0, 0);
        transmitter.sample(T0, figures);
        assertThat(transmitter.sample(T0.plusSeconds(10), figures).receiverIdle())
                .isNaN();
    }
}
