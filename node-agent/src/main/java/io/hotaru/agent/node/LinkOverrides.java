package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import java.util.List;
import java.util.Map;

/**
 * Parameters an operator may set over MQTT ({@code cmd/set}, range-checked by the command gate
 * against {@code CommandPolicy.defaultParameters()}, the configuration's ranges), applied to a
 * link's configuration when the link next starts: the block size and every monitor threshold.
 */
final class LinkOverrides {

    /** {@code block_size} (detections per block) and the monitor thresholds, by their MQTT names. */
    static final List<String> SUPPORTED = List.of(
            "block_size",
            "qber_threshold",
            "clear_after_blocks",
            "blinding_window_blocks",
            "blinding_min_count_rate_hz",
            "blinding_min_self_test_fraction",
            "self_test_pulses",
            "trojan_max_power_w",
            "time_shift_max_ps",
            "time_shift_calibration_blocks",
            "decoy_max_deficit",
            "decoy_sigmas");

    private LinkOverrides() {}

    static NodeConfig.Link apply(NodeConfig.Link l, Map<String, Double> values) {
        NodeConfig.Monitors m = l.monitors();
        m = new NodeConfig.Monitors(
                values.getOrDefault("qber_threshold", m.qberMax()),
                whole(values, "clear_after_blocks", m.clearAfterBlocks()),
                whole(values, "blinding_window_blocks", m.blindingWindowBlocks()),
                values.getOrDefault("blinding_min_count_rate_hz", m.blindingMinCountRateHz()),
                values.getOrDefault("blinding_min_self_test_fraction", m.blindingMinSelfTestFraction()),
                whole(values, "self_test_pulses", m.selfTestPulsesPerBlock()),
                values.getOrDefault("trojan_max_power_w", m.trojanMaxPowerW()),
                values.getOrDefault("time_shift_max_ps", m.timeShiftMaxPs()),
                whole(values, "time_shift_calibration_blocks", m.timeShiftCalibrationBlocks()),
                values.getOrDefault("decoy_max_deficit", m.decoyMaxDeficit()),
                values.getOrDefault("decoy_sigmas", m.decoySigmas()));
        return new NodeConfig.Link(
                l.id(),
                l.role(),
                l.listen(),
                l.connect(),
                l.devices(),
                whole(values, "block_size", l.blockDetections()),
                l.reconciler(),
                l.authBootstrapKey(),
                l.peerKme(),
                l.protocol(),
                m,
                l.passes(),
                l.timeSync());
    }

    private static int whole(Map<String, Double> values, String name, int otherwise) {
        Double v = values.get(name);
        return v == null ? otherwise : (int) Math.round(v);
    }
}
