package io.hotaru.keys.distill;

import java.util.Arrays;

/**
 * What Alice sent in exactly the slots Bob reports: intensity index (0 = signal, 1 = decoy, 2 =
 * vacuum), basis (0 = Z, 1 = X) and bit. The session reads but never modifies the arrays; the
 * caller zeroes {@code bits} when it no longer needs them.
 */
public record AliceEmissions(long[] slots, byte[] intensities, byte[] bases, byte[] bits) {
    public AliceEmissions {
        int n = slots.length;
        if (intensities.length != n || bases.length != n || bits.length != n) {
            throw new DistillException(DistillException.Code.INVALID_INPUT, "emission arrays differ in length");
        }
        for (int i = 0; i < n; i++) {
            if (intensities[i] < 0 || intensities[i] >= SourceSettings.INTENSITIES) {
                throw new DistillException(DistillException.Code.INVALID_INPUT, "intensity index out of range at " + i);
            }
            if ((bases[i] & ~1) != 0 || (bits[i] & ~1) != 0) {
                throw new DistillException(DistillException.Code.INVALID_INPUT, "basis or bit not 0/1 at " + i);
            }
        }
    }

    /** Whether these emissions describe exactly the given slots, in order. */
    public boolean coversExactly(long[] detectedSlots) {
        return Arrays.equals(slots, detectedSlots);
    }

    @Override
    public String toString() {
        return "AliceEmissions[slots=" + slots.length + "]";
    }
}
