package io.hotaru.keys.store;

/**
 * The pool of one link at this KME: units by state and the capacity. A full link stores no further
 * blocks until keys are consumed; its link ends should pause distillation.
 *
 * @param capacity most units the link may hold available or reserved
 */
public record LinkStatus(String linkId, KeyCounts counts, long capacity) {
    /** Units held (available or reserved), which the capacity bounds. */
    public long held() {
        return counts.available() + counts.reserved();
    }

    public boolean full() {
        return held() >= capacity;
    }

    /** Keys of {@code sizeBits} that one could reserve now. */
    public long availableKeys(int sizeBits) {
        return counts.available() / KeyComposition.unitsFor(sizeBits);
    }
}
