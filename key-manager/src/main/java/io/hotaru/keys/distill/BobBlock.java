package io.hotaru.keys.distill;

/**
 * Bob's detections in one block: slot numbers in {@code [firstSlot, endSlot)}, strictly ascending,
 * with the basis (0 = Z, 1 = X) and bit measured in each. The session reads but never modifies the
 * arrays; the caller zeroes {@code bits} when it no longer needs them.
 */
public record BobBlock(long blockId, long firstSlot, long endSlot, long[] slots, byte[] bases, byte[] bits) {
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
