package io.hotaru.keys.distill.auth;

/**
 * Which way a message travels on a link. Each direction has its own sequence numbers, hash key and
 * one-time pad, so the two ends never have to agree on how sends and receives interleave.
 */
public enum Direction {
    ALICE_TO_BOB,
    BOB_TO_ALICE;

    /** The byte bound into every tag of this direction. */
    int code() {
        return ordinal();
    }
}
