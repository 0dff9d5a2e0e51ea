package io.hotaru.bench.footprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hotaru.agent.link.ReceiverLink;
import org.junit.jupiter.api.Test;

class BacklogTest {
    private static final double RATE = 1.0e7;
    private static final long BLOCK = 1 << 20;
    private static final int SECONDS = 30;

    /**
     * A receiver distilling at {@code fraction} of the link's rate, counted in whole blocks, behind
     * by {@code offsetBlocks} blocks to begin with.
     */
    private static Backlog run(double fraction, double offsetBlocks) {
        Backlog backlog = new Backlog(RATE, BLOCK, SECONDS);
        for (int i = 1; i <= SECONDS; i++) {
            double made = RATE * i * fraction - offsetBlocks * BLOCK;
            long distilled = Math.max(0, (long) Math.floor(made / BLOCK) * BLOCK);
            backlog.sample(i, i, distilled);
        }
        return backlog;
    }

    @Test
    void aReceiverAtTheLinkRateKeepsUpThoughItCountsWholeBlocks() {
        Backlog backlog = run(1.0, 1.2);
        assertTrue(backlog.keptUp(true));
        assertTrue(backlog.worstBlocks() > 1.2 && backlog.worstBlocks() <= 2.2, "worst " + backlog.worstBlocks());
        assertEquals(0, backlog.growth(), 0.01);
    }

    @Test
    void aReceiverTwoPercentSlowFallsBehindThePipelineWithinTheRun() {
        Backlog backlog = run(0.98, 0);
        assertTrue(backlog.worstBlocks() > ReceiverLink.PIPELINE_BLOCKS, "worst " + backlog.worstBlocks());
        assertEquals(0.02, backlog.growth(), 0.01);
        assertFalse(backlog.keptUp(true));
    }

    @Test
    void aBacklogBeyondThePipelineIsNotKeepingUpEvenIfSteady() {
        Backlog backlog = run(1.0, ReceiverLink.PIPELINE_BLOCKS + 1);
        assertEquals(0, backlog.growth(), 0.01);
        assertFalse(backlog.keptUp(true));
    }

    @Test
    void anEndThatStoppedEarlyDidNotKeepUp() {
        assertFalse(run(1.0, 1).keptUp(false));
    }
}
