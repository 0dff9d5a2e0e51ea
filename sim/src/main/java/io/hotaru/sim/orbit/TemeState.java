package io.hotaru.sim.orbit;

/**
 * Position and velocity of a satellite in the True Equator, Mean Equinox (TEME) frame that SGP4
 * works in, in metres and metres per second.
 */
public record TemeState(double x, double y, double z, double vx, double vy, double vz) {

    /** Distance from the centre of the Earth, in metres. */
    public double radius() {
        return Math.sqrt(x * x + y * y + z * z);
    }
}
