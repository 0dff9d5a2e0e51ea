package io.hotaru.agent.mqtt;

import io.hotaru.agent.state.LinkState;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One link's figures for one telemetry period, as published on {@code telemetry/<link>}. Unknown
 * numbers are {@code Double.NaN} (published as JSON null). Never carries key material.
 *
 * @param link link id (a topic level)
 * @param state the link's state machine state
 * @param at when the figures were taken
 * @param block the last finished block (frame) id, or -1
 * @param qber quantum bit error rate of the last block, 0-1
 * @param qberByIntensity QBER per intensity class ("signal", "decoy", "vacuum"), 0-1
 * @param gainByIntensity gain (detections per pulse) per intensity class
 * @param siftedBitsPerSecond sifted key rate
 * @param secretBitsPerSecond secret (final) key rate
 * @param detectorCounts detections per detector in the period, by detector name
 * @param dataLostTotal records lost between driver and distillation since start (FIFO overruns, gaps)
 * @param keyPoolBits key bits available in the link's pool
 * @param authPoolBits bits reserved for authentication in the link's pool
 * @param syncOffsetNanos time offset between the two ends' clocks
 * @param driftPpm clock drift between the two ends
 * @param polarisation the receiver's polarisation loop ("moves", "used_blocks", "stale_blocks",
 *     "errors", "error_rate"), empty where no loop runs
 * @param receiverIdle share (0-1) of the period in which the receiver's distiller had no framed
 *     block to distil: its headroom, near 0 when the node cannot keep up with its link; NaN at a
 *     transmitter, for the first period, and when the receiver restarted within the period
 */
public record LinkTelemetry(
        String link,
        LinkState state,
        Instant at,
        long block,
        double qber,
        Map<String, Double> qberByIntensity,
        Map<String, Double> gainByIntensity,
        double siftedBitsPerSecond,
        double secretBitsPerSecond,
        Map<String, Long> detectorCounts,
        long dataLostTotal,
        long keyPoolBits,
        long authPoolBits,
        double syncOffsetNanos,
        double driftPpm,
        Map<String, Double> polarisation,
        double receiverIdle) {

    public LinkTelemetry {
        Topics.level("link id", link);
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(at, "at");
        qberByIntensity = Map.copyOf(qberByIntensity);
        gainByIntensity = Map.copyOf(gainByIntensity);
        detectorCounts = Map.copyOf(detectorCounts);
        polarisation = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(polarisation));
    }
}
