package io.hotaru.drivers;

/**
 * A reusable batch of time-tagged detection events. Filled by {@link TimeTagger#read}; the arrays
 * are allocated once at the batch's capacity and reused, so acquisition does not allocate.
 */
public final class TagBatch {

    private final long[] timestampsPs;
    private final byte[] channels;
    private int size;
    private boolean dataLost;
    private long completeUpToPs;

    public TagBatch(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be > 0");
        }
        this.timestampsPs = new long[capacity];
        this.channels = new byte[capacity];
    }

    public int capacity() {
        return timestampsPs.length;
    }

    /** Event times in picoseconds since the link's time origin, ascending; valid up to {@link #size()}. */
    public long[] timestampsPs() {
        return timestampsPs;
    }

    /** Detector channel per event; valid up to {@link #size()}. */
    public byte[] channels() {
        return channels;
    }

    public int size() {
        return size;
    }

    /** Whether events were lost before or within this batch (the device's buffer overflowed). */
    public boolean dataLost() {
        return dataLost;
    }

    /** Every event before this time (ps since the link's origin) has been delivered by now. */
    public long completeUpToPs() {
        return completeUpToPs;
    }

    /** Sets the batch's contents; for drivers. */
    public void fill(int size, boolean dataLost, long completeUpToPs) {
        if (size < 0 || size > capacity()) {
            throw new IllegalArgumentException("size " + size + " outside [0, " + capacity() + "]");
        }
        this.size = size;
        this.dataLost = dataLost;
        this.completeUpToPs = completeUpToPs;
    }
}
