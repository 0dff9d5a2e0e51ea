package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both node processes stop (a site power loss) and start again on the same files: their links go
 * on from the authentication-key positions their stores kept, not from the bootstrap secret. Every
 * tag key word used before stays used (the first block id after the restart, the sum of the
 * positions, lies beyond every block before it), and blocks are distilled and authenticated again
 * at both ends.
 */
class NodeRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String SIM = "link=A-B&seed=11&params=metro&distance_km=25&time_scale=10";
    private static final Pattern FIRST_BLOCK = Pattern.compile("\"first_block\":(\\d+)");

    @TempDir
    java.nio.file.Path dir;

    @Test
    void bothNodesRestartedGoOnAfterEveryAuthenticationKeyWordTheyUsed() throws Exception {
        int broker = NodePair.freePort();
        String mqttA = "mqtt:\n  broker: embedded\n  port: " + broker + "\n";
        String mqttB = "mqtt:\n  broker: tcp://127.0.0.1:" + broker + "\n";
        try (NodePair nodes = new NodePair(dir, SIM, 1 << 16, mqttA, mqttB)) {
            nodes.start();
            await().atMost(WAIT).until(() -> blocks(nodes.b()) >= 3 && blocks(nodes.a()) >= 3);
            long blocksBefore = Math.max(blocks(nodes.a()), blocks(nodes.b()));

            nodes.close();
            nodes.start();
            await().atMost(WAIT).until(() -> blocks(nodes.b()) >= 2 && blocks(nodes.a()) >= 2);
            for (NodeDaemon node : new NodeDaemon[] {nodes.a(), nodes.b()}) {
                assertThat(node.runners().get("A-B").linkStats().lastAbortReason())
                        .isNotIn("PROTOCOL_ERROR", "AUTHENTICATION_FAILED");
            }
            for (String node : List.of("a", "b")) {
                List<Long> firstBlocks = firstBlocks(node);
                assertThat(firstBlocks).as("connections of node %s", node).hasSize(2);
                assertThat(firstBlocks.get(1))
                        .as("node %s's first block after the restart lies after every block before it", node)
                        .isGreaterThanOrEqualTo(firstBlocks.get(0) + blocksBefore);
            }
        }
    }

    private List<Long> firstBlocks(String node) throws Exception {
        String audit = Files.readString(dir.resolve("node-" + node).resolve("audit.log"));
        return audit.lines()
                .filter(l -> l.contains("link.auth.synchronised"))
                .map(l -> {
                    Matcher m = FIRST_BLOCK.matcher(l);
                    assertThat(m.find()).as("first_block in %s", l).isTrue();
                    return Long.parseLong(m.group(1));
                })
                .toList();
    }

    private static long blocks(NodeDaemon node) {
        LinkRunner r = node.runners().get("A-B");
        var stats = r == null ? null : r.linkStats();
        return stats == null ? 0 : stats.blocks();
    }
}
