package io.hotaru.agent.demo;

import io.hotaru.agent.topology.Topology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Validated settings of one network demo run.
 *
 * @param topology the network to run
 * @param workDir where the PKI, the stores and the broker's folders go
 * @param etsiBasePort ETSI GS QKD 014 port of the node with offset 0 (0: free ports)
 * @param dashboardPort port of the dashboard on 127.0.0.1 (0: a free port)
 * @param seed link seeds derive from it
 * @param duration how long the links distil
 * @param progressInterval time between two drawings of the terminal view
 * @param passTimeScale orbit seconds per second: when the satellite passes happen (links and dashboard)
 * @param linkTimeScale link seconds per second of every fibre link
 * @param blockDetections detections per distillation block
 * @param attacks attacks to put on links during the run
 * @param redrawInPlace redraw the terminal view in place (stdout is a terminal)
 */
public record DemoSettings(
        Topology topology,
        Path workDir,
        int etsiBasePort,
        int dashboardPort,
        long seed,
        Duration duration,
        Duration progressInterval,
        double passTimeScale,
        double linkTimeScale,
        int blockDetections,
        List<AttackPlan> attacks,
        boolean redrawInPlace) {

    public DemoSettings {
        attacks = List.copyOf(attacks);
    }
}
