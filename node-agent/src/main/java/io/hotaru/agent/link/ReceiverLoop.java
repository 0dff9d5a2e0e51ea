package io.hotaru.agent.link;

import io.hotaru.keys.distill.BlockReport;

/**
 * A control loop that the receiver runs on its own thread, Agrona-agent style: told of every
 * finished block, and given a duty cycle between batches of time tags. A loop counts and reports
 * its own errors; one that escapes is counted by the receiver and never stops it.
 */
public interface ReceiverLoop {

    /** The figures of a block this end has just finished, distilled or aborted. */
    void blockFinished(BlockReport report);

    /**
     * One duty cycle.
     *
     * @param blockInProgress the ID of the block the framer is filling now: a device change made in
     *     this call may show in that block's detections, not in earlier ones
     * @return work done, 0 if there was nothing to do
     */
    int doWork(long blockInProgress);

    /** Name for logs and telemetry. */
    String name();
}
