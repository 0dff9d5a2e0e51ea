package io.hotaru.agent.link;

/**
 * The receiver's detections in the slot range [firstSlot, endSlot) of one block: slot numbers
 * (ascending), and for each the basis (0 = Z, 1 = X) and the bit measured.
 */
public record DetectionBlock(long blockId, long firstSlot, long endSlot, long[] slots, byte[] bases, byte[] bits) {

    public DetectionBlock {
        if (endSlot < firstSlot) {
            throw new IllegalArgumentException("endSlot < firstSlot");
        }
        if (slots.length != bases.length || slots.length != bits.length) {
            throw new IllegalArgumentException("slots, bases and bits differ in length");
        }
    }

    public int size() {
        return slots.length;
    }

    public long slotCount() {
        return endSlot - firstSlot;
    }
}
