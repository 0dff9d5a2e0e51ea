package io.hotaru.bench.footprint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class BacklogTest {
    private static final double RATE = 1.09e7;
    private static final long BLOCK = 1 << 20;
    private static final int SECONDS = 60;

    /**
     * An end distilling at {@code fraction} of the link's rate, counted in whole blocks, behind by
     * {@code offsetBlocks} blocks to begin with.
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
    void anEndAtTheLinkRateKeepsUpThoughItCountsWholeBlocks() {
        Backlog backlog = run(1.0, 3.2);
        assertTrue(backlog.keptUp(true));
        assertTrue(backlog.worstBlocks() > 3.2 && backlog.worstBlocks() <= 4.2, "worst " + backlog.worstBlocks());
        assertEquals(0, backlog.growthBlocks(), 0.2);
    }

    @Test
    void anEndThreeQuartersOfAPercentSlowFallsBehindThoughStillWithinThePipelines() {
        Backlog backlog = run(0.9925, 0);
        assertTrue(backlog.worstBlocks() < Backlog.MAX_BLOCKS_BEHIND, "worst " + backlog.worstBlocks());
        assertEquals(0.0075 * RATE * SECONDS / 4 / BLOCK, backlog.growthBlocks(), 0.2);
        assertFalse(backlog.keptUp(true));
    }

    @Test
    void aBacklogBeyondThePipelinesIsNotKeepingUpEvenIfSteady() {
        Backlog backlog = run(1.0, Backlog.MAX_BLOCKS_BEHIND + 0.5);
        assertEquals(0, backlog.growthBlocks(), 0.2);
        assertFalse(backlog.keptUp(true));
    }

    @Test
    void anEndThatStoppedEarlyDidNotKeepUp() {
        assertFalse(run(1.0, 1).keptUp(false));
    }
}
