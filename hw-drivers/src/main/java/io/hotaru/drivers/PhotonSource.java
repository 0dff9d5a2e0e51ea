package io.hotaru.drivers;

/**
 * The transmitter's photon source and state encoder. Each pulse slot (counted from the link's time
 * origin) carries an intensity level, a basis (0 = Z, 1 = X) and a bit, chosen by the device's
 * random number generator.
 */
public interface PhotonSource extends Device {

    SourceSettings settings();

    /** Starts emitting; slot 0 is the link's time origin. */
    void start();

    /** Stops emitting. */
    void stop();

    /**
     * The states the source sent in the given slots.
     *
     * @param slots slot numbers, ascending
     * @param count how many entries of {@code slots} to look up
     * @param intensity out: intensity level index per slot
     * @param basis out: basis per slot (0 = Z, 1 = X)
     * @param bit out: bit value per slot
     */
    void statesFor(long[] slots, int count, byte[] intensity, byte[] basis, byte[] bit);
}
