package io.hotaru.sim.run;

/**
 * A figure per intensity level: signal (level 0), decoy (level 1), vacuum (level 2); NaN for a
 * level the parameter set does not have.
 */
public record PerLevel(double signal, double decoy, double vacuum) {

    static PerLevel of(double[] values) {
        return new PerLevel(get(values, 0), get(values, 1), get(values, 2));
    }

    private static double get(double[] v, int i) {
        return i < v.length ? v[i] : Double.NaN;
    }
}
