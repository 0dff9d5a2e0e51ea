package io.hotaru.keys.distill;

import io.hotaru.keys.distill.protocol.AbortReason;

/** What distilling one block produced: a key, or an abort with its reason. Both carry the report. */
public sealed interface BlockOutcome {
    long blockId();

    BlockReport report();

    /**
     * A final key, {@code report().finalLength()} bits long (a multiple of 8). The caller owns
     * {@code key} and zeroes it once stored.
     */
    record Distilled(long blockId, byte[] key, BlockReport report) implements BlockOutcome {
        @Override
        public String toString() {
            return "Distilled[blockId=" + blockId + ", bits=" + report.finalLength() + "]";
        }
    }

    /** No key from this block. */
    record Aborted(long blockId, AbortReason reason, BlockReport report) implements BlockOutcome {}
}
