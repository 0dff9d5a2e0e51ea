package io.hotaru.keys.distill;

/** Validation shared by the records that carry detection lists. */
final class DetectionChecks {
    private DetectionChecks() {}

    static void check(long firstSlot, long endSlot, long[] slots, byte[] bases) {
        check(firstSlot, endSlot, slots, bases, null);
    }

    static void check(long firstSlot, long endSlot, long[] slots, byte[] bases, byte[] bits) {
        if (endSlot < firstSlot) {
            throw new DistillException(DistillException.Code.INVALID_INPUT, "endSlot before firstSlot");
        }
        int n = slots.length;
        if (bases.length != n || (bits != null && bits.length != n)) {
            throw new DistillException(DistillException.Code.INVALID_INPUT, "detection arrays differ in length");
        }
        long previous = firstSlot - 1;
        for (int i = 0; i < n; i++) {
            long s = slots[i];
            if (s <= previous || s >= endSlot) {
                throw new DistillException(
                        DistillException.Code.INVALID_INPUT, "slot not ascending or outside the block at " + i);
            }
            previous = s;
            if ((bases[i] & ~1) != 0 || (bits != null && (bits[i] & ~1) != 0)) {
                throw new DistillException(DistillException.Code.INVALID_INPUT, "basis or bit not 0/1 at " + i);
            }
        }
    }
}
