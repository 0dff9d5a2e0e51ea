package io.hotaru.agent.link;

import io.hotaru.keys.distill.BlockOutcome;

/**
 * What a link end asks before and tells after distilling each block, so that the node's attack
 * monitors see every block and can keep its key from the store. Called on the link end's thread.
 */
public interface BlockGate {

    /**
     * Before the block is distilled. Returning false withholds the block: the receiver distils it
     * with no detections, the transmitter refuses the receiver's detections, and either way both
     * ends abort it, so that no key is made from it at either end.
     *
     * @param detections the receiver's detections in the block (as reported to the transmitter)
     */
    boolean admit(long blockId, long firstSlot, long endSlot, int detections);

    /** After the block is distilled or aborted, before any of its key reaches the sink. */
    void finished(BlockOutcome outcome);

    /** Admits every block and watches nothing. */
    BlockGate OPEN = new BlockGate() {
        @Override
        public boolean admit(long blockId, long firstSlot, long endSlot, int detections) {
            return true;
        }

        @Override
        public void finished(BlockOutcome outcome) {}
    };
}
