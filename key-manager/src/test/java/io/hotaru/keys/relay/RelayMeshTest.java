package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 4-node mesh shaped like the Tokyo QKD Network (Sasaki et al. 2011): Koganei–Otemachi on the
 * 45 km span with the largest pool (Toshiba's link, ~10² kb/s), Otemachi–Hakusan (MELCO, 24 km),
 * Hakusan–Hongo (IDQ, 13 km) and Otemachi–Hongo (the 1 km entanglement link, the slowest). Pool
 * sizes follow those relative rates; Koganei reaches Hongo only through Otemachi.
 */
class RelayMeshTest {
    static final String K = "Koganei";
    static final String O = "Otemachi";
    static final String HA = "Hakusan";
    static final String HO = "Hongo";

    @TempDir
    Path dir;

    private RelayNetwork net;

    @BeforeEach
    void mesh() throws Exception {
        net = new RelayNetwork(dir, 21);
        net.node(K).node(O).node(HA).node(HO);
        net.link(K, O, 200).link(O, HA, 40).link(HA, HO, 60).link(O, HO, 20);
        net.converge();
    }

    @AfterEach
    void checkHistoryAndClose() throws InterruptedException {
        RelayHistoryChecker.checkAndClose(net);
    }

    @Test
    void theRouteTakesTheLinksWithMoreKeyAndSpreadsAsTheyShrink() throws Exception {
        RelayOutcome first = net.at(K).relay(HO, 256, RoutePolicy.any());
        assertThat(first.status()).isEqualTo(RelayStatus.COMMITTED);
        assertThat(first.paths().get(0)).containsExactly(K, O, HA, HO);

        Set<List<String>> used = new HashSet<>();
        for (int i = 0; i < 16; i++) {
            RelayOutcome o = net.at(K).relay(HO, 256, RoutePolicy.any());
            assertThat(o.status()).isEqualTo(RelayStatus.COMMITTED);
            used.add(o.paths().get(0));
            net.converge();
        }
        assertThat(used)
                .as("as Hakusan's pools shrink, the direct Otemachi–Hongo link takes over")
                .contains(List.of(K, O, HA, HO), List.of(K, O, HO));
        String e2e = RelayNode.endToEndLink(K, HO);
        assertThat(net.storeOf(K).availableCount(e2e)).isEqualTo(17);
        assertThat(net.storeOf(HO).availableCount(e2e)).isEqualTo(17);
    }

    @Test
    void aCutLinkIsRoutedAround() throws Exception {
        net.cut(HA, HO);
        net.converge();
        RelayOutcome o = net.at(K).relay(HO, 256, RoutePolicy.any());
        assertThat(o.status()).isEqualTo(RelayStatus.COMMITTED);
        assertThat(o.paths().get(0)).containsExactly(K, O, HO);
    }

    @Test
    void policiesAvoidANodeAndLimitHops() {
        assertThat(net.at(K)
                        .relay(HO, 256, RoutePolicy.any().avoiding(HA))
                        .paths()
                        .get(0))
                .containsExactly(K, O, HO);
        assertThat(net.at(K)
                        .relay(HO, 256, RoutePolicy.any().withMaxHops(2))
                        .paths()
                        .get(0))
                .containsExactly(K, O, HO);
        assertThat(net.at(K).relay(HO, 256, RoutePolicy.any().avoiding(O)).status())
                .isEqualTo(RelayStatus.NO_ROUTE);
    }

    @Test
    void twoSharesTravelNodeDisjointRoutesAndGiveOneKey() {
        RelayOutcome o = net.at(O).relayShares(HO, 512, 2, RoutePolicy.any());
        assertThat(o.status()).isEqualTo(RelayStatus.COMMITTED);
        assertThat(o.paths()).containsExactlyInAnyOrder(List.of(O, HA, HO), List.of(O, HO));
        assertThat(net.storeOf(O).digest(o.keyIds())).isEqualTo(net.storeOf(HO).digest(o.keyIds()));
        assertThat(net.at(K).relayShares(HO, 256, 2, RoutePolicy.any()).status())
                .as("Koganei has one neighbour: no two disjoint routes")
                .isEqualTo(RelayStatus.NO_ROUTE);
    }
}
