package io.hotaru.agent.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TelemetryBufferTest {

    private static final Instant T = Instant.parse("2026-05-01T12:00:00Z");

    @Test
    void dropsTheOldestWhenFullAndKeepsTheGapUntilReported() {
        TelemetryBuffer b = new TelemetryBuffer(2);
        for (int i = 0; i < 5; i++) {
            b.add(new TelemetryBuffer.Pending("t", new byte[] {(byte) i}, T.plusSeconds(i)));
        }
        assertThat(b.size()).isEqualTo(2);
        assertThat(b.peek().payload()[0]).isEqualTo((byte) 3);
        assertThat(b.gap()).isEqualTo(new TelemetryBuffer.Gap(3, T, T.plusSeconds(2)));
        assertThat(b.gap()).as("kept until reported").isEqualTo(new TelemetryBuffer.Gap(3, T, T.plusSeconds(2)));
        b.clearGap();
        assertThat(b.gap()).isNull();
        assertThat(b.hasGap()).isFalse();
        assertThat(b.lostTotal()).isEqualTo(3);
    }

    @Test
    void backoffGrowsWithJitterAndNeverExceedsTheCap() {
        Backoff backoff = new Backoff(
                Duration.ofMillis(500),
                Duration.ofSeconds(30),
                () -> -1L); // floorMod(-1, n) = n - 1: always the longest wait
        long previous = 0;
        for (int i = 0; i < 100; i++) {
            long ms = backoff.next().toMillis();
            assertThat(ms).isBetween(500L, 30_000L).isGreaterThanOrEqualTo(previous);
            previous = ms;
        }
        assertThat(previous).isEqualTo(30_000L);
        backoff.reset();
        assertThat(backoff.next().toMillis()).isEqualTo(500L);
        Backoff zeroJitter = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), () -> 0L);
        for (int i = 0; i < 40; i++) {
            assertThat(zeroJitter.next().toMillis()).isEqualTo(500L);
        }
    }
}
