package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.agent.mqtt.CommandPolicy;
import io.hotaru.agent.mqtt.ParameterRange;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every parameter {@code cmd/set} may change reaches the link's configuration, at both ends of its range. */
class LinkOverridesTest {

    private static final Map<String, Function<NodeConfig.Link, Double>> READ = new LinkedHashMap<>();

    static {
        READ.put("block_size", l -> (double) l.blockDetections());
        READ.put("qber_threshold", l -> l.monitors().qberMax());
        READ.put("clear_after_blocks", l -> (double) l.monitors().clearAfterBlocks());
        READ.put("blinding_window_blocks", l -> (double) l.monitors().blindingWindowBlocks());
        READ.put("blinding_min_count_rate_hz", l -> l.monitors().blindingMinCountRateHz());
        READ.put("blinding_min_self_test_fraction", l -> l.monitors().blindingMinSelfTestFraction());
        READ.put("self_test_pulses", l -> (double) l.monitors().selfTestPulsesPerBlock());
        READ.put("trojan_max_power_w", l -> l.monitors().trojanMaxPowerW());
        READ.put("time_shift_max_ps", l -> l.monitors().timeShiftMaxPs());
        READ.put("time_shift_calibration_blocks", l -> (double) l.monitors().timeShiftCalibrationBlocks());
        READ.put("decoy_max_deficit", l -> l.monitors().decoyMaxDeficit());
        READ.put("decoy_sigmas", l -> l.monitors().decoySigmas());
    }

    private static NodeConfig.Link link() {
        return new NodeConfig.Link(
                "ab",
                NodeConfig.Role.RECEIVER,
                Optional.empty(),
                Optional.of(InetSocketAddress.createUnresolved("127.0.0.1", 1)),
                Map.of("tagger", "sim:bob?link=ab"),
                NodeConfigLoader.DEFAULT_BLOCK_DETECTIONS,
                NodeConfigLoader.DEFAULT_RECONCILER,
                Path.of("auth.key"),
                new NodeConfig.PeerKme("kme-a", InetSocketAddress.createUnresolved("127.0.0.1", 2)),
                Optional.empty(),
                NodeConfigLoader.DEFAULT_MONITORS,
                Optional.empty(),
                Optional.empty());
    }

    @Test
    void everySettableParameterHasARangeAndReachesTheLink() {
        Map<String, ParameterRange> ranges = CommandPolicy.defaultParameters().stream()
                .collect(Collectors.toMap(ParameterRange::name, Function.identity()));
        assertThat(LinkOverrides.SUPPORTED).containsExactlyInAnyOrderElementsOf(READ.keySet());
        assertThat(ranges.keySet()).containsAll(LinkOverrides.SUPPORTED);
        for (String name : LinkOverrides.SUPPORTED) {
            ParameterRange r = ranges.get(name);
            for (double v : new double[] {r.min(), r.max()}) {
                NodeConfig.Link changed = LinkOverrides.apply(link(), Map.of(name, v));
                assertThat(READ.get(name).apply(changed)).as(name).isEqualTo(v);
                for (String other : LinkOverrides.SUPPORTED) {
                    if (!other.equals(name)) {
                        assertThat(READ.get(other).apply(changed))
                                .as("%s untouched by %s", other, name)
                                .isEqualTo(READ.get(other).apply(link()));
                    }
                }
            }
        }
    }

    @Test
    void theSourceSettingsAreNotSettableOnANode() {
        assertThat(LinkOverrides.SUPPORTED).doesNotContain("mu_signal", "mu_decoy", "p_signal", "telemetry_period_ms");
    }
}
