package io.hotaru.drivers;

/**
 * The receiver's time tagger: detection events as (channel, timestamp) in batches.
 *
 * <p>For a BB84 receiver with passive basis choice the channels are, by convention, 0 = Z basis
 * bit 0, 1 = Z bit 1, 2 = X bit 0, 3 = X bit 1.
 */
public interface TimeTagger extends Device {

    /** Number of input channels. */
    int channelCount();

    /** Starts acquisition; timestamps count from the link's time origin. */
    void start();

    /** Stops acquisition. */
    void stop();

    /**
     * Reads the events available now into {@code batch} (at most its capacity) without blocking
     * for long.
     *
     * @return the number of events read
     */
    int read(TagBatch batch);
}
