package io.hotaru.keys.distill;

/**
 * Bob's detections in one block: slot numbers in {@code [firstSlot, endSlot)}, strictly ascending,
 * with the basis (0 = Z, 1 = X) and bit measured in each. The session reads but never modifies the
 * arrays; the caller zeroes {@code bits} when it no longer needs them.
 */
public record BobBlock(long blockId, long firstSlot, long endSlot, long[] slots, byte[] bases, byte[] bits) {
    /**
     * The most detections a block should hold: its {@code Detections} message decodes to 9 bytes
     * per detection, and the peer channel decodes at most 16 MiB per message ({@code
     * CodecLimits.DEFAULT}), so a block of more than about 1.86·10⁶ detections can never be
     * distilled; 2²⁰ is the largest power of two under that, and a node distils it in a 256 MB heap.
     */
    public static final int MAX_DETECTIONS = 1 << 20;

    public BobBlock {
        DetectionChecks.check(firstSlot, endSlot, slots, bases, bits);
    }

    public int detections() {
        return slots.length;
    }

    @Override
    public String toString() {
        return "BobBlock[blockId=" + blockId + ", slots=[" + firstSlot + ", " + endSlot + "), detections="
                + slots.length + "]";
    }
}
