package io.hotaru.drivers;

/** A quantum random number generator. */
public interface Qrng extends Device {

    /** Fills {@code out} with random bytes. */
    void nextBytes(byte[] out);
}
