package io.hotaru.sim.physics;

/** Argument checks whose messages name the offending field. */
final class Checks {

    private Checks() {}

    static void probability(String field, double value) {
        if (!(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException(field + " must be a probability in [0, 1], got " + value);
        }
    }

    static void nonNegative(String field, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(field + " must be finite and >= 0, got " + value);
        }
    }

    static void positive(String field, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + value);
        }
    }
}
