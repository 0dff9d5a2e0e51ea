package io.hotaru.agent.node;

import io.hotaru.agent.config.NodeConfig;
import java.util.List;
import java.util.Map;

/**
 * Parameters an operator may set over MQTT ({@code cmd/set}, range-checked by the command gate),
 * applied to a link's configuration when the link next starts.
 */
final class LinkOverrides {

    /** {@code qber_threshold}: the QBER monitor's threshold; {@code block_size}: detections per block. */
    static final List<String> SUPPORTED = List.of("qber_threshold", "block_size");

    private LinkOverrides() {}

    static NodeConfig.Link apply(NodeConfig.Link l, Map<String, Double> values) {
        NodeConfig.Monitors m = l.monitors();
        if (values.containsKey("qber_threshold")) {
            double q = Math.max(0.001, values.get("qber_threshold"));
            m = new NodeConfig.Monitors(
                    q,
                    m.clearAfterBlocks(),
                    m.blindingWindowBlocks(),
                    m.blindingMinCountRateHz(),
                    m.blindingMinSelfTestFraction(),
                    m.selfTestPulsesPerBlock(),
                    m.trojanMaxPowerW(),
                    m.timeShiftMaxPs(),
                    m.timeShiftCalibrationBlocks(),
                    m.decoyMaxDeficit(),
                    m.decoySigmas());
        }
        int block = values.containsKey("block_size") ? (int) Math.round(values.get("block_size")) : l.blockDetections();
        return new NodeConfig.Link(
                l.id(),
                l.role(),
                l.listen(),
                l.connect(),
                l.devices(),
                block,
                l.reconciler(),
                l.authBootstrapKey(),
                l.peerKme(),
                l.protocol(),
                m,
                l.passes(),
                l.timeSync());
    }
}
