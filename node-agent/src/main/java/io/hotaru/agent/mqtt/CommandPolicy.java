package io.hotaru.agent.mqtt;

import io.hotaru.keys.distill.BobBlock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What commands a node accepts beyond their signature.
 *
 * @param links link ids that commands may name
 * @param parameters settable parameters and their ranges, by name
 * @param maxAge how old (by its signed {@code issued} time) a command may be; older ones are rejected
 *     as replays, and command ids are remembered this long (plus the skew) to drop duplicates
 * @param maxClockSkew how far in the future {@code issued} may be (sender clock ahead of ours)
 */
public record CommandPolicy(
        Set<String> links, Map<String, ParameterRange> parameters, Duration maxAge, Duration maxClockSkew) {

    public CommandPolicy {
        links = Set.copyOf(links);
        parameters = Map.copyOf(parameters);
        if (maxAge.isNegative() || maxAge.isZero() || maxAge.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("command max age must be in (0, 1 h], got " + maxAge);
        }
        if (maxClockSkew.isNegative() || maxClockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("command clock skew must be in [0, 5 min], got " + maxClockSkew);
        }
    }

    /**
     * The parameters an operator may set remotely, with the ranges the node configuration accepts
     * for the same settings ({@code NodeConfigLoader}): the source's (answered "failed" by the daemon,
     * whose source settings come from its devices), the block size and every monitor threshold.
     */
    public static List<ParameterRange> defaultParameters() {
        return List.of(
                new ParameterRange("mu_signal", 0.05, 1.0, false),
                new ParameterRange("mu_decoy", 0.0, 0.5, false),
                new ParameterRange("p_signal", 0.5, 0.99, false),
                new ParameterRange("telemetry_period_ms", 100, 600_000, true),
                new ParameterRange("block_size", 1024, BobBlock.MAX_DETECTIONS, true),
                new ParameterRange("qber_threshold", 0.001, 0.11, false),
                new ParameterRange("clear_after_blocks", 1, 1000, true),
                new ParameterRange("blinding_window_blocks", 1, 1000, true),
                new ParameterRange("blinding_min_count_rate_hz", 1e-3, 1e12, false),
                new ParameterRange("blinding_min_self_test_fraction", 1e-6, 1, false),
                new ParameterRange("self_test_pulses", 0, 1_000_000, true),
                new ParameterRange("trojan_max_power_w", 1e-15, 1, false),
                new ParameterRange("time_shift_max_ps", 0.1, 1e6, false),
                new ParameterRange("time_shift_calibration_blocks", 0, 1000, true),
                new ParameterRange("decoy_max_deficit", 0.001, 0.999, false),
                new ParameterRange("decoy_sigmas", 0.1, 100, false));
    }

    /** A policy for {@code links}, with {@link #defaultParameters()}, 60 s maximum age and 5 s skew. */
    public static CommandPolicy of(Set<String> links) {
        return new CommandPolicy(
                links,
                defaultParameters().stream().collect(Collectors.toMap(ParameterRange::name, Function.identity())),
                Duration.ofSeconds(60),
                Duration.ofSeconds(5));
    }
}
