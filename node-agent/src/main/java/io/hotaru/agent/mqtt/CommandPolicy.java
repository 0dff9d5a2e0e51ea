package io.hotaru.agent.mqtt;

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

    /** The parameters of the sim and decoy-BB84 links that an operator may tune remotely. */
    public static List<ParameterRange> defaultParameters() {
        return List.of(
                new ParameterRange("mu_signal", 0.05, 1.0, false),
                new ParameterRange("mu_decoy", 0.0, 0.5, false),
                new ParameterRange("p_signal", 0.5, 0.99, false),
                new ParameterRange("qber_threshold", 0.0, 0.11, false),
                new ParameterRange("block_size", 10_000, 100_000_000, true),
                new ParameterRange("telemetry_period_ms", 100, 600_000, true));
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
