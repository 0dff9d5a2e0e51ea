package io.hotaru.sim.run;

/** Receives a simulated link's detections batch by batch, in slot order. */
@FunctionalInterface
public interface DetectionListener {

    /** Ignores the detections. */
    DetectionListener NONE = (slots, channels, states, count) -> {};

    /**
     * Detections {@code [0, count)}: slot, Bob's channel (basis × 2 + bit) and Alice's packed state
     * ({@link io.hotaru.sim.physics.PulseState}). The arrays are reused after the call returns.
     */
    void accept(long[] slots, byte[] channels, int[] states, int count);
}
