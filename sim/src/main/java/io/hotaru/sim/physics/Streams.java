package io.hotaru.sim.physics;

/**
 * Stream numbers of the {@link CounterRandom} streams of one link. Each random decision has its
 * own stream, so that no two decisions about the same slot share bits.
 */
final class Streams {

    private Streams() {}

    static final long ALICE_LEVEL = 1;
    static final long ALICE_BASIS_BIT = 2;
    /** First candidate of a block in the detection walk, keyed by block index. */
    static final long BOB_BLOCK_START = 10;
    /** Gap to the next candidate, keyed by the current candidate slot. */
    static final long BOB_SKIP = 11;
    /** Thinning: whether a candidate slot is a detection. */
    static final long BOB_ACCEPT = 12;
    /** Photon or dark/double click; Bob's basis; the random bit. */
    static final long BOB_CLICK = 13;
    /** Misalignment error when the bases match. */
    static final long BOB_ERROR = 14;
}
