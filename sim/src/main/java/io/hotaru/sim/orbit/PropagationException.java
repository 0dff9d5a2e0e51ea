package io.hotaru.sim.orbit;

/**
 * SGP4 could not give a position: the element set is unphysical at that time (for example the
 * satellite has decayed or the eccentricity left [0, 1)).
 */
public final class PropagationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int catalogNumber;
    private final double minutesSinceEpoch;

    PropagationException(int catalogNumber, double minutesSinceEpoch, Throwable cause) {
        super(
                String.format(
                        "SGP4 failed for satellite %05d at %.3f min from epoch: %s",
                        catalogNumber, minutesSinceEpoch, cause.getMessage()),
                cause);
        this.catalogNumber = catalogNumber;
        this.minutesSinceEpoch = minutesSinceEpoch;
    }

    public int catalogNumber() {
        return catalogNumber;
    }

    public double minutesSinceEpoch() {
        return minutesSinceEpoch;
    }
}
