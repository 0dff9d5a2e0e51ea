package io.hotaru.keys.distill.auth;

import io.hotaru.keys.distill.protocol.codec.CodecLimits;

/**
 * Settings of the authenticated channel.
 *
 * @param rotateAfterRounds blocks a direction's hash key serves before it is replaced by fresh key
 *     bits (≥ 1); the replacement takes effect from the message after the first one of the next
 *     block, which both ends know only once that message is verified
 * @param deferReconcileTags whether reconciliation messages (Cascade's parity requests and
 *     answers) travel without a tag of their own, each then covered by the tag of the next
 *     message in its direction: the same ε per block at a few tags per block instead of one per
 *     round trip; a tampered reconciliation message is then refused at that next message, still
 *     within the block and before any key is released (delayed authentication, ADR 0004)
 * @param limits the codec limits of the frames on the wire (envelope included)
 */
public record AuthConfig(int rotateAfterRounds, boolean deferReconcileTags, CodecLimits limits) {
    /** Bytes the envelope adds around a message frame, at most. */
    public static final int ENVELOPE_BYTES = 64;

    public AuthConfig {
        if (rotateAfterRounds < 1) {
            throw new IllegalArgumentException("rotateAfterRounds must be at least 1: " + rotateAfterRounds);
        }
        if (limits.maxFrameBytes() < 2 * ENVELOPE_BYTES) {
            throw new IllegalArgumentException("frame limit too small for the envelope");
        }
    }

    /**
     * A tag on every message, a fresh hash key every block (64 bits per direction per block) and
     * the default codec limits.
     */
    public static AuthConfig defaults() {
        return new AuthConfig(1, false, CodecLimits.DEFAULT);
    }

    /** The same, with reconciliation messages covered by the next tag ({@link #deferReconcileTags}). */
    public static AuthConfig deferringReconcileTags() {
        return new AuthConfig(1, true, CodecLimits.DEFAULT);
    }

    /** The limits for the frame inside the envelope. */
    CodecLimits innerLimits() {
        return new CodecLimits(limits.maxFrameBytes() - ENVELOPE_BYTES, limits.maxDecodedBytes(), limits.maxElements());
    }
}
