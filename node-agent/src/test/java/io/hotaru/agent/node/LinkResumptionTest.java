package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.auth.AuthConfig;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthenticatedTransport;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.keys.store.BlockWithdrawal;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Two ends resuming a link after Bob's {@code Confirm} of block 7 was lost: Bob stored block 7 and
 * topped up his pool, Alice did neither. After the exchange both hold the same blocks and pools that
 * hand out the same words, and the same next deposit leaves them equal.
 */
class LinkResumptionTest {

    /** Blocks and their units in use, as a store would hold them. */
    private static final class Blocks implements LinkResumption.StoredBlocks {
        final TreeMap<Long, Integer> units = new TreeMap<>();
        int inUse;

        @Override
        public long lastStoredBlock(String linkId) {
            return units.isEmpty() ? -1 : units.lastKey();
        }

        @Override
        public BlockWithdrawal.Result withdrawBlocksAfter(String linkId, long blockId) {
            var after = units.tailMap(blockId, false);
            int blocks = after.size();
            if (inUse > 0) {
                return new BlockWithdrawal.Result(blocks, 0, inUse);
            }
            int erased = after.values().stream().mapToInt(Integer::intValue).sum();
            after.clear();
            return new BlockWithdrawal.Result(blocks, erased, 0);
        }
    }

    private final byte[] secret = new byte[16 * 64];
    private final AuthKeyPool alicePool;
    private final AuthKeyPool bobPool;
    private final Blocks aliceBlocks = new Blocks();
    private final Blocks bobBlocks = new Blocks();

    LinkResumptionTest() {
        new java.util.Random(4).nextBytes(secret);
        alicePool = AuthKeyPool.bootstrap(secret);
        bobPool = AuthKeyPool.bootstrap(secret);
        for (long block = 3; block <= 6; block++) {
            aliceBlocks.units.put(block, 10);
            bobBlocks.units.put(block, 10);
        }
        bobBlocks.units.put(7L, 12);
        byte[] deposit = new byte[16 * 5];
        java.util.Arrays.fill(deposit, (byte) 7);
        bobPool.deposit(deposit);
    }

    private LinkResumption.Outcome[] resume() throws Exception {
        InMemoryTransport.Pair wires = InMemoryTransport.pair();
        AuthenticatedTransport alice = AuthenticatedTransport.alice(wires.alice(), alicePool, AuthConfig.defaults());
        AuthenticatedTransport bob = AuthenticatedTransport.bob(wires.bob(), bobPool, AuthConfig.defaults());
        CompletableFuture<LinkResumption.Outcome> atBob =
                CompletableFuture.supplyAsync(() -> LinkResumption.resume("A-B", bob, bobPool, bobBlocks));
        LinkResumption.Outcome atAlice = LinkResumption.resume("A-B", alice, alicePool, aliceBlocks);
        return new LinkResumption.Outcome[] {atAlice, atBob.get()};
    }

    @Test
    void theEndThatIsAheadWithdrawsTheBlockAndTheDepositThePeerNeverGot() throws Exception {
        LinkResumption.Outcome[] o = resume();
        assertThat(o[0].blocksWithdrawn()).isZero();
        assertThat(o[0].depositsWithdrawn()).isZero();
        assertThat(o[1]).isEqualTo(new LinkResumption.Outcome(7, 6, 69, 64, 1, 12, 1));
        assertThat(bobBlocks.units).isEqualTo(aliceBlocks.units);
        assertThat(bobPool.depositedWords()).isEqualTo(alicePool.depositedWords());

        byte[] next = new byte[16 * 3];
        java.util.Arrays.fill(next, (byte) 9);
        alicePool.deposit(next);
        bobPool.deposit(next);
        for (Direction d : Direction.values()) {
            assertThat(bobPool.position(d)).isEqualTo(alicePool.position(d));
            while (alicePool.availableBits(d) > 0) {
                assertThat(bobPool.nextWord(d)).isEqualTo(alicePool.nextWord(d));
            }
            assertThat(bobPool.availableBits(d)).isZero();
        }
    }

    @Test
    void aKeyOfTheBlockAlreadyInUseStopsTheLink() {
        bobBlocks.inUse = 1;
        assertThatThrownBy(this::resume)
                .hasCauseInstanceOf(LinkResumption.ResumeRefused.class)
                .hasMessageContaining("already reserved or delivered");
        assertThat(bobBlocks.units).containsKey(7L);
    }
}
