package io.hotaru.keys.store;

/**
 * What a store's writer has done since the store was opened: how well group commit groups, and
 * where the writer's time goes.
 *
 * @param batches transactions committed (one fsync each)
 * @param operations operations run, in those batches
 * @param workNanos time spent running operations (SQL, sealing and opening keys)
 * @param commitNanos time spent committing batches into the WAL (and checkpointing it)
 * @param slowCommits commits that took longer than {@link #SLOW_COMMIT_NANOS}: mostly those in which
 *     the writer checkpointed the WAL itself (SQLite's automatic checkpoint: copy and two fsyncs),
 *     or in which its thread did not get a core
 * @param slowCommitNanos time spent in those slow commits
 * @param syncs fsyncs of the WAL, each making every batch committed before it durable
 * @param syncNanos time spent in those fsyncs, on the sync thread beside the writer
 */
public record WriterStats(
        long batches,
        long operations,
        long workNanos,
        long commitNanos,
        long slowCommits,
        long slowCommitNanos,
        long syncs,
        long syncNanos) {
    /** A commit slower than this (5 ms) is counted as slow. */
    public static final long SLOW_COMMIT_NANOS = 5_000_000;

    /** The activity between {@code earlier} and this. */
    public WriterStats minus(WriterStats earlier) {
        return new WriterStats(
                batches - earlier.batches,
                operations - earlier.operations,
                workNanos - earlier.workNanos,
                commitNanos - earlier.commitNanos,
                slowCommits - earlier.slowCommits,
                slowCommitNanos - earlier.slowCommitNanos,
                syncs - earlier.syncs,
                syncNanos - earlier.syncNanos);
    }

    public double operationsPerBatch() {
        return batches == 0 ? 0 : (double) operations / batches;
    }
}
