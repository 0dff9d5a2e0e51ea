package io.hotaru.keys.store;

/**
 * What a store's background checkpointer ({@link WalCheckpointer}) has done since the store was
 * opened.
 *
 * @param checkpoints checkpoints that copied at least one WAL frame into the database file
 * @param framesCopied WAL frames (pages) copied
 * @param nanos time spent in those checkpoints, on the checkpointer's thread
 */
public record CheckpointStats(long checkpoints, long framesCopied, long nanos) {
    /** The activity between {@code earlier} and this. */
    public CheckpointStats minus(CheckpointStats earlier) {
        return new CheckpointStats(
                checkpoints - earlier.checkpoints, framesCopied - earlier.framesCopied, nanos - earlier.nanos);
    }
}
