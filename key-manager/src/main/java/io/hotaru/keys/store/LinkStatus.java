package io.hotaru.keys.store;

/**
 * The pool of one link at this KME: units available and reserved, and the capacity. A full link
 * stores no further blocks until keys are consumed; its link ends should pause distillation.
 *
 * @param capacity most units the link may hold available or reserved
 */
public record LinkStatus(String linkId, long available, long reserved, long capacity) {
    /** Units held (available or reserved), which the capacity bounds. */
    public long held() {
        return available + reserved;
    }

    public boolean full() {
        return held() >= capacity;
    }

    /** Keys of {@code sizeBits} that one could reserve now. */
    public long availableKeys(int sizeBits) {
        return available / KeyComposition.unitsFor(sizeBits);
    }
}
