package io.hotaru.keys.distill.protocol.codec;

/**
 * Hard limits of the message codec, checked before anything is allocated.
 *
 * @param maxFrameBytes the largest frame accepted or produced, header included
 * @param maxDecodedBytes the most array memory one decoded message may occupy (elements × element
 *     size, summed over its fields); decoding never allocates more than this for a message
 * @param maxElements the most elements any one array field may hold
 */
public record CodecLimits(int maxFrameBytes, int maxDecodedBytes, int maxElements) {
    /** 16 MiB frames, as much decoded array memory, 2²⁴ elements per field. */
    public static final CodecLimits DEFAULT = new CodecLimits(16 << 20, 16 << 20, 1 << 24);

    public CodecLimits {
        if (maxFrameBytes < MessageCodec.HEADER_BYTES + 16) {
            throw new IllegalArgumentException("maxFrameBytes too small: " + maxFrameBytes);
        }
        if (maxDecodedBytes < 0 || maxElements < 0) {
            throw new IllegalArgumentException("negative limit");
        }
    }

    /**
     * These limits, raised where needed so that a message whose one large field is an array of
     * {@code words} 64-bit words fits (for example an amplification seed of {@code
     * MultiplyShiftHash.seedWordsBound(maxBlockBits)} words: then a block of that many key-input
     * bits can be distilled); limits already large enough are kept.
     */
    public CodecLimits admittingLongArray(int words) {
        if (words < 0) {
            throw new IllegalArgumentException("negative word count: " + words);
        }
        int arrayBytes = Math.multiplyExact(words, Long.BYTES);
        int frameBytes = Math.addExact(arrayBytes, MessageCodec.HEADER_BYTES + FIELD_SLACK_BYTES);
        return new CodecLimits(
                Math.max(maxFrameBytes, frameBytes),
                Math.max(maxDecodedBytes, arrayBytes),
                Math.max(maxElements, words));
    }

    /** Room for a message's small fields (ids, lengths, counts) next to its one large array. */
    private static final int FIELD_SLACK_BYTES = 64;

    /** The default element and memory limits with another frame limit. */
    public static CodecLimits ofFrameBytes(int maxFrameBytes) {
        return new CodecLimits(maxFrameBytes, maxFrameBytes, DEFAULT.maxElements);
    }
}
