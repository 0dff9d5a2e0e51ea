package io.hotaru.agent.link;

import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BlockReport;
import java.util.concurrent.atomic.AtomicLong;

/** Running figures of one link end, safe to read from any thread. */
public final class LinkStats {

    private final AtomicLong blocks = new AtomicLong();
    private final AtomicLong abortedBlocks = new AtomicLong();
    private final AtomicLong detections = new AtomicLong();
    private final AtomicLong siftedBits = new AtomicLong();
    private final AtomicLong leakedBits = new AtomicLong();
    private final AtomicLong secretBits = new AtomicLong();
    private final AtomicLong keysStored = new AtomicLong();
    private volatile double lastQber = Double.NaN;
    private volatile String lastAbortReason = "";

    void record(BlockOutcome outcome, int keysStoredNow) {
        BlockReport r = outcome.report();
        blocks.incrementAndGet();
        detections.addAndGet(r.detections());
        siftedBits.addAndGet(r.siftedBits());
        leakedBits.addAndGet(r.leakedEcBits());
        if (!Double.isNaN(r.qberEstimate())) {
            lastQber = r.qberEstimate();
        }
        if (outcome instanceof BlockOutcome.Distilled) {
            secretBits.addAndGet(r.finalLength());
            keysStored.addAndGet(keysStoredNow);
        } else if (outcome instanceof BlockOutcome.Aborted a) {
            abortedBlocks.incrementAndGet();
            lastAbortReason = a.reason().name();
        }
    }

    /** Blocks finished, distilled or aborted. */
    public long blocks() {
        return blocks.get();
    }

    public long abortedBlocks() {
        return abortedBlocks.get();
    }

    public long detections() {
        return detections.get();
    }

    public long siftedBits() {
        return siftedBits.get();
    }

    public long leakedBits() {
        return leakedBits.get();
    }

    public long secretBits() {
        return secretBits.get();
    }

    public long keysStored() {
        return keysStored.get();
    }

    /** QBER estimate of the last block that got that far, NaN before. */
    public double lastQber() {
        return lastQber;
    }

    /** Reason of the last aborted block, empty if none. */
    public String lastAbortReason() {
        return lastAbortReason;
    }
}
