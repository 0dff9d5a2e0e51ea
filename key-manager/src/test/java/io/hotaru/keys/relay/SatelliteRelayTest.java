package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two ground stations and a trusted satellite: the satellite S shares key with G1 after pass 1 and
 * with G2 only after pass 2. A G1–G2 key is delivered once pass 2 has run; a request made before
 * waits for it (bounded) or is refused at once, by policy. The satellite's pass-1 key with G1 is
 * the stored half: nothing of it is spent until the relay can complete.
 */
class SatelliteRelayTest {
    @TempDir
    Path dir;

    private RelayNetwork net;

    @BeforeEach
    void afterPassOne() throws Exception {
        net = new RelayNetwork(dir, 41);
        net.node("G1").node("SAT").node("G2");
        net.link("G1", "SAT", 16); // pass 1 over G1
        net.link("SAT", "G2", 0); // no pass over G2 yet
        net.converge();
    }

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        RelayHistoryChecker.checkAndClose(net);
    }

    @Test
    void beforePassTwoARequestIsRefusedAtOnceOrAfterItsBoundedWait() throws Exception {
        assertThat(net.at("G1").relay("G2", 256, RoutePolicy.any()).status()).isEqualTo(RelayStatus.NO_ROUTE);
        RelayOutcome waited = net.at("G1").relayWhenRouted("G2", 256, RoutePolicy.any(), Duration.ofMillis(200));
        assertThat(waited.status()).isEqualTo(RelayStatus.NO_ROUTE);
        assertThat(net.storeOf("G1").counts("G1-SAT").erased())
                .as("pass-1 key untouched")
                .isZero();
    }

    @Test
    void aRequestWaitingForPassTwoCompletesWhenItHasRun() throws Exception {
        CompletableFuture<RelayOutcome> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return net.at("G1").relayWhenRouted("G2", 512, RoutePolicy.any(), Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).isNotDone();

        net.addKey("SAT", "G2", 16); // pass 2 over G2
        net.converge();

        RelayOutcome outcome = waiting.get(30, TimeUnit.SECONDS);
        assertThat(outcome.status()).isEqualTo(RelayStatus.COMMITTED);
        assertThat(outcome.paths()).containsExactly(List.of("G1", "SAT", "G2"));
        assertThat(net.storeOf("G1").digest(outcome.keyIds()))
                .isEqualTo(net.storeOf("G2").digest(outcome.keyIds()));
        assertThat(net.storeOf("SAT").counts(RelayNode.endToEndLink("G1", "G2")).total())
                .isZero();
    }
}
