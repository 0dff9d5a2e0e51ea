package io.hotaru.keys.distill;

/**
 * Alice's node looks up what its source emitted in the slots Bob reports. Called once per block,
 * after Bob's detections arrive.
 */
@FunctionalInterface
public interface EmissionLookup {
    AliceEmissions emissions(long blockId, long firstSlot, long endSlot, long[] detectedSlots);
}
