package io.hotaru.drivers;

/**
 * A motorised (or electro-optic) polarisation controller: a chain of waveplates whose angles the
 * node turns to undo the fibre's polarisation drift.
 */
public interface PolarisationController extends Device {

    /** Number of waveplates (axes). */
    int waveplateCount();

    /** Current angle of each waveplate, degrees. */
    double[] anglesDeg();

    /**
     * Turns the waveplates to these angles.
     *
     * @throws IllegalArgumentException if the count differs from {@link #waveplateCount()} or an
     *     angle is not finite
     */
    void setAnglesDeg(double[] anglesDeg);
}
