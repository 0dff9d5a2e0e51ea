package io.hotaru.keys.distill.auth;

import io.hotaru.keys.distill.protocol.codec.CodecLimits;

/**
 * Settings of the authenticated channel.
 *
 * @param rotateAfterRounds blocks a direction's hash key serves before it is replaced by fresh key
 *     bits (≥ 1); the replacement takes effect from the message after the first one of the next
 *     block, which both ends know only once that message is verified
 * @param limits the codec limits of the frames on the wire (envelope included)
 */
public record AuthConfig(int rotateAfterRounds, CodecLimits limits) {
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
     * A fresh hash key every block (64 bits per direction per block, under 2 % of what the tags'
     * pads take) and the default codec limits.
     */
    public static AuthConfig defaults() {
        return new AuthConfig(1, CodecLimits.DEFAULT);
    }

    /** The limits for the frame inside the envelope. */
    CodecLimits innerLimits() {
        return new CodecLimits(limits.maxFrameBytes() - ENVELOPE_BYTES, limits.maxDecodedBytes(), limits.maxElements());
    }
}
