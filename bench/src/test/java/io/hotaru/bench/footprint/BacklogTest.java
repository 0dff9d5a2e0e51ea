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
    void anEndThreeQuartersOfAPercentSlowFallsBehindThoughOnlyAFewBlocks() {
        Backlog backlog = run(0.9925, 0);
        assertTrue(backlog.worstBlocks() < 6, "worst " + backlog.worstBlocks());
        assertEquals(0.0075 * RATE * SECONDS / 4 / BLOCK, backlog.growthBlocks(), 0.2);
        assertFalse(backlog.keptUp(true));
    }

    @Test
    void anEndThatCatchesUpAfterItsWarmUpKeepsUp() {
        Backlog backlog = new Backlog(RATE, BLOCK, SECONDS);
        long distilled = 0;
        for (int i = 1; i <= SECONDS; i++) {
            // Half the rate for 10 s, then 10 % over it until level with the link, then at it.
            double rate = i <= 10 ? 0.5 * RATE : 1.1 * RATE;
            distilled = Math.min((long) (RATE * i) - 2 * BLOCK, distilled + (long) rate);
            backlog.sample(i, i, distilled / BLOCK * BLOCK);
        }
        assertTrue(backlog.growthBlocks() <= 0.2, "growth " + backlog.growthBlocks());
        assertTrue(backlog.keptUp(true));
    }

    @Test
    void anEndStillCatchingUpAtTheEndKeepsUp() {
        Backlog backlog = run(1.05, 40);
        assertTrue(backlog.growthBlocks() < 0, "growth " + backlog.growthBlocks());
        assertTrue(backlog.keptUp(true));
    }

    @Test
    void anEndThatStoppedEarlyDidNotKeepUp() {
        assertFalse(run(1.0, 1).keptUp(false));
    }
}
