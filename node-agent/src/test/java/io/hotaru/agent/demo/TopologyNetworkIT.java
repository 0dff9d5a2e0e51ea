package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A three-node chain from a topology file distils on both links into the right stores. */
class TopologyNetworkIT {

    private static final long SEED = 42;

    private static final String CHAIN = """
            name: chain
            start: 2016-03-20T02:30:00Z
            nodes:
              - {id: a, kind: metro, etsi_port_offset: 0}
              - {id: b, kind: metro, etsi_port_offset: 1}
              - {id: c, kind: metro, etsi_port_offset: 2}
            fibre_links:
              - {id: ab, a: a, b: b, length_km: 10, loss_db_per_km: 0.21, parameter_set: metro}
              - {id: bc, a: b, b: c, length_km: 5, loss_db_per_km: 0.3, parameter_set: metro}
            """;

    @Test
    void everyFibreLinkFillsTheStoresAtItsTwoEnds(@TempDir Path dir) throws InterruptedException {
        Topology chain = TopologyLoader.parse("chain.yaml", CHAIN.getBytes(StandardCharsets.UTF_8));
        try (TopologyNetwork network =
                TopologyNetwork.start(chain, new TopologyNetwork.Options(dir, 0, SEED, 1 << 19, 4.0))) {
            assertThat(network.nodes()).containsOnlyKeys("a", "b", "c");
            assertThat(network.links()).hasSize(2);
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (System.nanoTime() < deadline
                    && network.links().stream().anyMatch(l -> l.storedKeyBits() < 8L * 256)) {
                Thread.sleep(50);
            }
            network.stopLinks();
            for (FibreLinkRun l : network.links()) {
                String id = l.link().id();
                List<UUID> atA = network.nodes().get(l.link().a()).store().heldKeyIds(id);
                List<UUID> atB = network.nodes().get(l.link().b()).store().heldKeyIds(id);
                assertThat(atA)
                        .as("keys of %s (seed %d)", id, SEED)
                        .hasSizeGreaterThanOrEqualTo(8)
                        .isEqualTo(atB);
                assertThat(network.nodes().get(l.link().a()).store().digest(atA))
                        .isEqualTo(network.nodes().get(l.link().b()).store().digest(atB));
            }
            // node c holds no key of link ab, and a none of bc
            assertThat(network.nodes().get("c").store().heldKeyIds("ab")).isEmpty();
            assertThat(network.nodes().get("a").store().heldKeyIds("bc")).isEmpty();
        }
    }
}
