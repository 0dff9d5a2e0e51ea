package io.hotaru.sim.physics;

/**
 * Stream numbers of the {@link CounterRandom} streams of one link. Each random decision has its
 * own stream, so that no two decisions about the same slot share bits.
 */
final class Streams {

    private Streams() {}

    /** Alice's level, basis and bit, keyed by slot. */
    static final long ALICE_STATE = 3;
    /** The i-th gap between candidates of a block, keyed by block × 2^16 + i. */
    static final long BOB_GAP = 19;
    /** Further words for the rare gaps the ziggurat's fast path does not decide, keyed by 64 × gap + attempt. */
    static final long BOB_GAP_RETRY = 20;
    /** Thinning, photon or dark click, misalignment error, Bob's basis and random bit, keyed by slot. */
    static final long BOB_DECISION = 15;
    /** Eve's choices and the detectors' efficiency thinning, keyed by slot. */
    static final long EXTRA = 16;
    /** Afterpulse and its delay, keyed by 4 × slot + channel. */
    static final long AFTERPULSE = 17;
    /** Timing jitter, keyed by 4 × slot + channel. */
    static final long JITTER = 18;
}
