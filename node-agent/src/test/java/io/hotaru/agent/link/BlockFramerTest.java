package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BlockFramerTest {

    private final List<DetectionBlock> blocks = new ArrayList<>();

    @Test
    void blocksAreContiguousAndHoldEveryDetectionOnce() {
        BlockFramer framer = new BlockFramer(1000.0, 100, 7, new SplittableRandom(1), blocks::add);
        SplittableRandom r = new SplittableRandom(42);
        long t = 0;
        int events = 0;
        for (int i = 0; i < 1050; i++) {
            t += 1000L * (1 + r.nextInt(50));
            framer.add(t + r.nextInt(-200, 200), r.nextInt(4));
            events++;
        }
        framer.completeUpTo(t + 10_000);

        assertThat(blocks).hasSize(10);
        assertThat(blocks.get(0).blockId()).isEqualTo(7);
        assertThat(blocks.get(0).firstSlot()).isZero();
        for (int i = 0; i < blocks.size(); i++) {
            DetectionBlock b = blocks.get(i);
            assertThat(b.size()).isEqualTo(100);
            assertThat(b.blockId()).isEqualTo(7 + i);
            assertThat(b.slots()).isSorted();
            assertThat(b.slots()[0]).isGreaterThanOrEqualTo(b.firstSlot());
            assertThat(b.slots()[b.size() - 1]).isLessThan(b.endSlot());
            if (i > 0) {
                assertThat(b.firstSlot()).isEqualTo(blocks.get(i - 1).endSlot());
            }
        }
        assertThat(events - blocks.size() * 100).isEqualTo(50);
        assertThat(framer.multiClicks()).isZero();
        assertThat(framer.droppedEvents()).isZero();
    }

    @Test
    void aRecycledBlocksArraysHoldTheNextFullBlockAndAPartialOneIsNotKept() {
        List<DetectionBlock> fresh = new ArrayList<>();
        BlockFramer reference = new BlockFramer(1000.0, 100, 0, new SplittableRandom(1), fresh::add);
        BlockFramer framer = new BlockFramer(1000.0, 100, 0, new SplittableRandom(1), blocks::add);
        SplittableRandom r = new SplittableRandom(42);
        long t = 0;
        for (int i = 0; i < 350; i++) {
            t += 1000L * (1 + r.nextInt(50));
            int channel = r.nextInt(4);
            reference.add(t, channel);
            framer.add(t, channel);
            if (blocks.size() == 1) {
                // Handed back while the second block fills (again and again: kept once).
                framer.recycle(blocks.get(0));
            }
        }
        assertThat(blocks).hasSize(3);
        assertThat(blocks.get(1).slots()).isSameAs(blocks.get(0).slots());
        assertThat(blocks.get(1).bases()).isSameAs(blocks.get(0).bases());
        assertThat(blocks.get(2).slots()).isNotSameAs(blocks.get(0).slots());
        for (int i = 1; i < 3; i++) {
            assertThat(blocks.get(i).slots()).isEqualTo(fresh.get(i).slots());
            assertThat(blocks.get(i).bases()).isEqualTo(fresh.get(i).bases());
            assertThat(blocks.get(i).bits()).isEqualTo(fresh.get(i).bits());
        }
        // A block shorter than the framer's is never taken back.
        List<DetectionBlock> after = new ArrayList<>();
        BlockFramer small = new BlockFramer(1000.0, 2, 0, new SplittableRandom(1), after::add);
        small.recycle(new DetectionBlock(9, 0, 10, new long[] {1}, new byte[1], new byte[1]));
        small.add(1_000, 1);
        small.add(3_000, 2);
        small.add(5_000, 0);
        assertThat(after).hasSize(1);
        assertThat(after.get(0).slots()).containsExactly(1, 3);
    }

    /** round(t / T), halves up, in exact arithmetic: the slot a timestamp belongs to. */
    private static long exactSlot(long t, long period) {
        BigInteger two = BigInteger.TWO;
        BigInteger p = BigInteger.valueOf(period);
        return BigInteger.valueOf(t)
                .multiply(two)
                .add(p)
                .divide(p.multiply(two))
                .longValueExact();
    }

    @Test
    void timestampsRoundToTheNearestSlotInIntegersAsInDoubles() {
        long[] periods = {1000, 1001, 2500, 1, 7};
        SplittableRandom r = new SplittableRandom(20261126);
        for (long period : periods) {
            BlockFramer framer = new BlockFramer(period, 100, 0, new SplittableRandom(1), blocks::add);
            for (int i = 0; i < 200_000; i++) {
                // early timestamps, up to 52 days into a link, and the half-slot points and their neighbours
                long t = switch (i % 4) {
                    case 0 -> r.nextLong(1L << 40);
                    case 1 -> r.nextLong(1L << 52);
                    case 2 -> r.nextLong((1L << 52) / period - 1) * period + period / 2 + r.nextInt(-1, 2);
                    default -> (1L << 52) - 1 - r.nextInt(1000);
                };
                long slot = framer.slotOf(t);
                assertThat(slot).as("t %d ps, period %d ps", t, period).isEqualTo(exactSlot(t, period));
                assertThat(slot).as("t %d ps, period %d ps", t, period).isEqualTo(Math.round(t / (double) period));
            }
        }
        BlockFramer fractional = new BlockFramer(1234.5, 100, 0, new SplittableRandom(1), blocks::add);
        assertThat(fractional.slotOf(1_234_500_000L + 617)).isEqualTo(Math.round((1_234_500_000L + 617) / 1234.5));
    }

    @Test
    void channelsMapToBasisAndBit() {
        BlockFramer framer = new BlockFramer(100.0, 4, 0, new SplittableRandom(1), blocks::add);
        for (int ch = 0; ch < 4; ch++) {
            framer.add(1000L * (ch + 1), ch);
        }
        framer.completeUpTo(1_000_000);
        assertThat(blocks).singleElement().satisfies(b -> {
            assertThat(b.slots()).containsExactly(10, 20, 30, 40);
            assertThat(b.bases()).containsExactly(0, 0, 1, 1);
            assertThat(b.bits()).containsExactly(0, 1, 0, 1);
        });
    }

    @Test
    void multipleClicksInOneSlotAreSquashedAndCounted() {
        BlockFramer framer = new BlockFramer(100.0, 2, 0, new SplittableRandom(1), blocks::add);
        framer.add(1000, 0);
        framer.add(1010, 3);
        framer.add(990, 1);
        framer.add(2000, 2);
        framer.completeUpTo(1_000_000);
        assertThat(framer.multiClicks()).isEqualTo(1);
        assertThat(blocks).singleElement().satisfies(b -> assertThat(b.slots()).containsExactly(10, 20));
    }

    @Test
    void badChannelsAndTimeReversalsAreDroppedAndCounted() {
        BlockFramer framer = new BlockFramer(100.0, 10, 0, new SplittableRandom(1), blocks::add);
        framer.add(1000, 7);
        framer.add(5000, 1);
        framer.add(3000, 1);
        assertThat(framer.droppedEvents()).isEqualTo(2);
    }
}
