package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.reliability.figures.ReliabilityFigures;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each simulated attack raises its alarm within the configured number of blocks, at the end that
 * can see it, and no key from a flagged block reaches either end's store; an honest link at another
 * loss or rate raises none and stores the same blocks at both ends.
 */
class KeyOutputGuardIT {

    private static final NodeConfig.Monitors MONITORS = NodeConfigLoader.DEFAULT_MONITORS;
    private static final int WITHIN = MONITORS.blindingWindowBlocks();
    private static final String SIM = "link=AB&seed=%d&params=metro&distance_km=25&time_scale=20";

    @Tag("reliability")
    @ParameterizedTest(name = "eve={0} raises {1} at the {2}")
    @CsvSource({
        "intercept-resend, qber, TRANSMITTER",
        "blinding, blinding, RECEIVER",
        "trojan, trojan, TRANSMITTER",
        "time-shift, time-shift, RECEIVER",
        "pns, decoy-statistics, TRANSMITTER"
    })
    void eachAttackRaisesItsAlarmAndNoFlaggedKeyIsStored(String eve, String kind, NodeConfig.Role end)
            throws Exception {
        long seed = 1000 + eve.hashCode();
        try (MonitoredLinkPair pair =
                new MonitoredLinkPair(String.format(SIM, seed) + "&eve=" + eve, 1 << 16, MONITORS)) {
            pair.start();
            pair.awaitBlocks(WITHIN + 1, Duration.ofSeconds(60));
            Optional<MonitoredLinkPair.Seen> raised = pair.alarms.stream()
                    .filter(s -> s.end() == end
                            && s.change().kind().equals(kind)
                            && s.change().active())
                    .findFirst();
            ReliabilityFigures.record("attacks_total", eve, 1);
            ReliabilityFigures.record(
                    "attacks_detected",
                    eve,
                    raised.isPresent() && raised.get().change().blockId() < WITHIN ? 1 : 0);
            ReliabilityFigures.record("keys_during_alarm", eve, pair.storedAtAlice.size() + pair.storedAtBob.size());
            assertThat(raised)
                    .as("seed %d: %s alarm at the %s; seen %s", seed, kind, end, pair.alarms)
                    .isPresent();
            assertThat(raised.get().change().blockId()).as("seed %d", seed).isLessThan(WITHIN);
            // the attack runs from the first block: every block is flagged, none may be stored
            assertThat(pair.storedAtAlice)
                    .as("seed %d: key stored at Alice", seed)
                    .isEmpty();
            assertThat(pair.storedAtBob).as("seed %d: key stored at Bob", seed).isEmpty();
        }
    }

    @ParameterizedTest(name = "an honest link with {0} raises no alarm")
    @CsvSource({"distance_km=25", "distance_km=25&extra_loss_db=3", "distance_km=15&rate_hz=2e8"})
    void ordinaryRateAndLossChangesRaiseNone(String change) throws Exception {
        long seed = 77;
        String sim = "link=AB&seed=" + seed + "&params=metro&time_scale=20&" + change;
        try (MonitoredLinkPair pair = new MonitoredLinkPair(sim, 1 << 16, MONITORS)) {
            pair.start();
            pair.awaitBlocks(WITHIN + 2, Duration.ofSeconds(60));
            assertThat(pair.finishedBlocks()).isGreaterThanOrEqualTo(WITHIN + 2);
            assertThat(pair.alarms).as("seed %d, %s", seed, change).isEmpty();
            assertThat(pair.aliceGuard.counts().withheld()).isZero();
            assertThat(pair.bobGuard.counts().withheld()).isZero();
        }
    }

    @Test
    void anHonestLinkStoresTheSameBlocksAtBothEnds() throws Exception {
        try (MonitoredLinkPair pair = new MonitoredLinkPair(String.format(SIM, 42), 1 << 19, MONITORS)) {
            pair.start();
            pair.awaitBlocks(2, Duration.ofSeconds(60));
            pair.close();
            assertThat(pair.alarms).isEmpty();
            assertThat(pair.storedAtAlice).isNotEmpty();
            assertThat(pair.storedAtBob).isEqualTo(pair.storedAtAlice);
        }
    }
}
