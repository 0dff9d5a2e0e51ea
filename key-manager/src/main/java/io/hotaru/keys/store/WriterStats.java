package io.hotaru.keys.store;

/**
 * What a store's writer has done since the store was opened: how well group commit groups, and
 * where the writer's time goes.
 *
 * @param batches transactions committed (one fsync each)
 * @param operations operations run, in those batches
 * @param workNanos time spent running operations (SQL, sealing and opening keys)
 * @param commitNanos time spent committing (writing the WAL and its fsync)
 */
public record WriterStats(long batches, long operations, long workNanos, long commitNanos) {
    /** The activity between {@code earlier} and this. */
    public WriterStats minus(WriterStats earlier) {
        return new WriterStats(
                batches - earlier.batches,
                operations - earlier.operations,
                workNanos - earlier.workNanos,
                commitNanos - earlier.commitNanos);
    }

    public double operationsPerBatch() {
        return batches == 0 ? 0 : (double) operations / batches;
    }
}
