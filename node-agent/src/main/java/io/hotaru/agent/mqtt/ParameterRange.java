package io.hotaru.agent.mqtt;

/**
 * The values a {@code cmd/set} may give one parameter, bounds included.
 *
 * @param name parameter name, e.g. {@code mu_signal}
 * @param min smallest accepted value
 * @param max largest accepted value
 * @param integer whether only whole numbers are accepted
 */
public record ParameterRange(String name, double min, double max, boolean integer) {

    public ParameterRange {
        if (name == null || !name.matches("[a-z][a-z0-9_]{0,31}")) {
            throw new IllegalArgumentException("parameter name '" + name + "' must match [a-z][a-z0-9_]{0,31}");
        }
        if (!Double.isFinite(min) || !Double.isFinite(max) || min > max) {
            throw new IllegalArgumentException("parameter " + name + " needs finite min <= max");
        }
    }

    public boolean accepts(double value) {
        return Double.isFinite(value) && value >= min && value <= max && (!integer || value == Math.rint(value));
    }
}
