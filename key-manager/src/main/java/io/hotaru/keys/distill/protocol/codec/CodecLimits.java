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

    /** The default element and memory limits with another frame limit. */
    public static CodecLimits ofFrameBytes(int maxFrameBytes) {
        return new CodecLimits(maxFrameBytes, maxFrameBytes, DEFAULT.maxElements);
    }
}
