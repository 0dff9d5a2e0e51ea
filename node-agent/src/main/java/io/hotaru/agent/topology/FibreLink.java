package io.hotaru.agent.topology;

import io.hotaru.agent.mqtt.Topics;
import java.util.Objects;

/**
 * A simulated fibre link between two nodes.
 *
 * @param id link id
 * @param a the transmitter's node
 * @param b the receiver's node
 * @param lengthKm fibre length, km, positive
 * @param lossDbPerKm fibre attenuation, dB/km, positive
 * @param parameterSet the sim parameter set for source and detectors ({@code metro}, {@code gys}, ...);
 *     its fibre length and loss are replaced by this link's
 */
public record FibreLink(String id, String a, String b, double lengthKm, double lossDbPerKm, String parameterSet) {

    public FibreLink {
        if (!Topics.isLevel(id)) {
            throw new IllegalArgumentException("link id '" + id + "' is not a topic level");
        }
        Objects.requireNonNull(a, "a");
        Objects.requireNonNull(b, "b");
        Objects.requireNonNull(parameterSet, "parameterSet");
        if (!(lengthKm > 0) || !(lossDbPerKm > 0)) {
            throw new IllegalArgumentException("length and loss must be positive");
        }
    }

    /** Total channel loss, dB. */
    public double lossDb() {
        return lengthKm * lossDbPerKm;
    }
}
