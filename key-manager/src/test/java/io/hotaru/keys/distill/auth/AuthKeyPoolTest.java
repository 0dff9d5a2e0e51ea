package io.hotaru.keys.distill.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuthKeyPoolTest {
    @Test
    void splitsEachDepositWordByWordBetweenTheDirections() {
        byte[] secret = HexFormat.of()
                .parseHex("00000000000000a1" + "00000000000000b1" + "00000000000000a2" + "00000000000000b2");
        try (AuthKeyPool pool = AuthKeyPool.bootstrap(secret)) {
            pool.deposit(HexFormat.of().parseHex("00000000000000a3" + "00000000000000b3"));
            assertThat(pool.availableBits(Direction.ALICE_TO_BOB)).isEqualTo(192);
            assertThat(pool.nextWord(Direction.BOB_TO_ALICE)).isEqualTo(0xb1);
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(0xa1);
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(0xa2);
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(0xa3);
            assertThat(pool.consumedBits(Direction.ALICE_TO_BOB)).isEqualTo(192);
            assertThat(pool.consumedBits(Direction.BOB_TO_ALICE)).isEqualTo(64);
            assertThat(pool.availableBits(Direction.BOB_TO_ALICE)).isEqualTo(128);
            assertThatThrownBy(() -> pool.nextWord(Direction.ALICE_TO_BOB))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(AuthenticationException.Code.KEY_EXHAUSTED));
            assertThat(pool.toString()).doesNotContain("b2");
        }
    }

    @Test
    void skipsForwardButNeverBack() {
        try (AuthKeyPool pool = AuthKeyPool.bootstrap(new byte[16 * 10])) {
            pool.nextWord(Direction.ALICE_TO_BOB);
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(1);
            pool.skipTo(Direction.ALICE_TO_BOB, 4);
            pool.skipTo(Direction.ALICE_TO_BOB, 2);
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(4);
            assertThat(pool.position(Direction.BOB_TO_ALICE)).isZero();
            assertThatThrownBy(() -> pool.skipTo(Direction.ALICE_TO_BOB, 11))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(4);
        }
    }

    @Test
    void refusesDepositsThatWouldUnbalanceTheDirections() {
        assertThatThrownBy(() -> AuthKeyPool.bootstrap(new byte[24])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeEmptiesThePool() {
        AuthKeyPool pool = AuthKeyPool.bootstrap(new byte[64]);
        pool.close();
        assertThat(pool.availableBits(Direction.BOB_TO_ALICE)).isZero();
        assertThatThrownBy(() -> pool.nextWord(Direction.BOB_TO_ALICE)).isInstanceOf(AuthenticationException.class);
    }

    /** A ledger that remembers what it was told, for the durable pool's contract. */
    private static final class RecordingLedger implements AuthKeyLedger {
        final long[] marks = new long[2];
        final java.util.List<String> calls = new java.util.ArrayList<>();

        @Override
        public void reserve(Direction direction, long mark) {
            marks[direction.ordinal()] = mark;
            calls.add("reserve " + direction + " " + mark);
        }

        @Override
        public void deposit(long index, long firstWord, byte[] key) {
            calls.add("deposit " + index + " at " + firstWord + " of " + key.length);
        }

        @Override
        public void withdraw(long fromIndex) {
            calls.add("withdraw from " + fromIndex);
        }
    }

    /**
     * A held deposit (the relay channel's receiving end of a refill) is not handed out, nor
     * reserved by a mark, until released; withdrawn, it leaves the pool as it was.
     */
    @Test
    void aHeldDepositIsNeitherDrawnNorReservedUntilReleased() {
        RecordingLedger ledger = new RecordingLedger();
        try (AuthKeyPool pool = AuthKeyPool.durable(ledger, 64)) {
            pool.deposit(new byte[16 * 4]);
            pool.depositHeld(new byte[16 * 6]);
            assertThat(pool.depositedWords()).isEqualTo(10);
            assertThat(pool.usableEnd()).isEqualTo(4);
            for (int i = 0; i < 4; i++) {
                pool.nextWord(Direction.BOB_TO_ALICE);
            }
            assertThat(ledger.marks[Direction.BOB_TO_ALICE.ordinal()])
                    .as("the mark stops where the held words start")
                    .isEqualTo(4);
            assertThatThrownBy(() -> pool.nextWord(Direction.BOB_TO_ALICE))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(AuthenticationException.Code.KEY_EXHAUSTED));
            assertThatThrownBy(() -> pool.skipTo(Direction.ALICE_TO_BOB, 5))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(pool.position(Direction.BOB_TO_ALICE)).isEqualTo(4);

            pool.depositHeld(new byte[16 * 2]);
            assertThat(pool.usableEnd())
                    .as("held from the first held deposit on")
                    .isEqualTo(4);
            assertThat(pool.withdrawTo(10)).isEqualTo(1);
            assertThat(pool.usableEnd())
                    .as("still held: the earlier held deposit")
                    .isEqualTo(4);
            pool.releaseHeld();
            assertThat(pool.usableEnd()).isEqualTo(10);
            pool.nextWord(Direction.BOB_TO_ALICE);
            assertThat(pool.position(Direction.BOB_TO_ALICE)).isEqualTo(5);

            pool.depositHeld(new byte[16 * 3]);
            assertThat(pool.withdrawTo(10)).isEqualTo(1);
            assertThat(pool.usableEnd())
                    .as("nothing held once the held deposit is withdrawn")
                    .isEqualTo(10);
        }
    }

    /** The end that sends A→B holds back only that direction: it checks the peer's frames with any word it holds. */
    @Test
    void aDepositHeldInOneDirectionLeavesTheOtherDrawable() {
        try (AuthKeyPool pool = AuthKeyPool.bootstrap(new byte[16 * 2])) {
            pool.depositHeld(new byte[16 * 3], Direction.ALICE_TO_BOB);
            assertThat(pool.usableEnd(Direction.ALICE_TO_BOB)).isEqualTo(2);
            assertThat(pool.usableEnd(Direction.BOB_TO_ALICE)).isEqualTo(5);
            pool.skipTo(Direction.BOB_TO_ALICE, 4);
            pool.nextWord(Direction.BOB_TO_ALICE);
            pool.skipTo(Direction.ALICE_TO_BOB, 2);
            assertThatThrownBy(() -> pool.nextWord(Direction.ALICE_TO_BOB)).isInstanceOf(AuthenticationException.class);
            pool.releaseHeld();
            pool.nextWord(Direction.ALICE_TO_BOB);
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(3);
        }
    }

    /** The last words before the usable end, kept for the relay channel's refills, are reserved one at a time. */
    @Test
    void aTailReservedSinglyCostsARestartOneWord() {
        RecordingLedger ledger = new RecordingLedger();
        try (AuthKeyPool pool = AuthKeyPool.durable(ledger, 64)) {
            pool.deposit(new byte[16 * 10]);
            pool.reserveTailSingly(4);
            for (int i = 0; i < 10; i++) {
                pool.nextWord(Direction.ALICE_TO_BOB);
            }
            assertThat(ledger.calls.stream().filter(c -> c.startsWith("reserve")))
                    .containsExactly(
                            "reserve ALICE_TO_BOB 6",
                            "reserve ALICE_TO_BOB 7",
                            "reserve ALICE_TO_BOB 8",
                            "reserve ALICE_TO_BOB 9",
                            "reserve ALICE_TO_BOB 10");
        }
    }

    @Test
    void withdrawingTheLastDepositMakesThePoolEqualToOneThatNeverHadIt() {
        RecordingLedger ledger = new RecordingLedger();
        byte[] first = new byte[16 * 8];
        byte[] extra = new byte[16 * 3];
        byte[] next = new byte[16 * 2];
        for (int i = 0; i < first.length; i++) {
            first[i] = (byte) i;
        }
        java.util.Arrays.fill(extra, (byte) 0x5A);
        java.util.Arrays.fill(next, (byte) 0x33);
        try (AuthKeyPool ahead = AuthKeyPool.durable(ledger, 4);
                AuthKeyPool behind = AuthKeyPool.durable(AuthKeyLedger.NONE, 4)) {
            ahead.deposit(first);
            behind.deposit(first);
            ahead.nextWord(Direction.ALICE_TO_BOB);
            behind.nextWord(Direction.ALICE_TO_BOB);
            ahead.deposit(extra); // the block the peer never finished

            assertThat(ahead.withdrawTo(8)).isEqualTo(1);
            assertThat(ledger.calls).endsWith("withdraw from 1");
            assertThat(ahead.depositedWords()).isEqualTo(8);
            assertThat(ahead.availableBits(Direction.BOB_TO_ALICE)).isEqualTo(64 * 8);
            assertThat(ahead.withdrawTo(8)).isZero();

            ahead.deposit(next);
            behind.deposit(next);
            for (Direction d : Direction.values()) {
                for (int i = 0; i < 9; i++) {
                    assertThat(ahead.nextWord(d)).as("%s word %d", d, i).isEqualTo(behind.nextWord(d));
                }
            }
        }
    }

    @Test
    void wordsThatMayHaveBeenHandedOutOrMidDepositPointsCannotBeWithdrawn() {
        try (AuthKeyPool pool = AuthKeyPool.durable(AuthKeyLedger.NONE, 4)) {
            pool.deposit(new byte[16 * 4]);
            pool.deposit(new byte[16 * 4]);
            assertThatThrownBy(() -> pool.withdrawTo(6))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("not the end of a deposit");
            assertThatThrownBy(() -> pool.withdrawTo(9)).isInstanceOf(IllegalStateException.class);
            for (int i = 0; i < 5; i++) {
                pool.nextWord(Direction.BOB_TO_ALICE);
            }
            assertThatThrownBy(() -> pool.withdrawTo(4))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("BOB_TO_ALICE");
            assertThat(pool.depositedWords()).isEqualTo(8);
        }
    }

    @Test
    void aDurablePoolRecordsDepositsAndReservesEachBatchBeforeHandingOutItsWords() {
        RecordingLedger ledger = new RecordingLedger();
        try (AuthKeyPool pool = AuthKeyPool.durable(ledger, 4)) {
            pool.deposit(new byte[16 * 10]);
            pool.deposit(new byte[16 * 2]);
            assertThat(ledger.calls).containsExactly("deposit 0 at 0 of 160", "deposit 1 at 10 of 32");
            for (int i = 0; i < 5; i++) {
                pool.nextWord(Direction.ALICE_TO_BOB);
                assertThat(ledger.marks[0]).as("mark after word %d", i).isGreaterThan(i);
            }
            assertThat(ledger.calls).endsWith("reserve ALICE_TO_BOB 4", "reserve ALICE_TO_BOB 8");
            pool.skipTo(Direction.ALICE_TO_BOB, 11);
            pool.nextWord(Direction.ALICE_TO_BOB);
            assertThat(ledger.marks[0]).as("never beyond the deposits").isEqualTo(12);
            assertThat(pool.reservedMark(Direction.BOB_TO_ALICE)).isZero();
        }
    }

    @Test
    void aRestoredPoolGoesOnFromItsMarksBurningTheRestOfTheBatch() {
        byte[] key = new byte[16 * 8];
        for (int i = 0; i < key.length; i++) {
            key[i] = (byte) (i / 8 + 1); // word w of the deposit holds w + 1 in every byte
        }
        byte[] later = key.clone();
        RecordingLedger ledger = new RecordingLedger();
        try (AuthKeyPool pool = AuthKeyPool.restore(java.util.List.of(later), 3, 20, 23, 21, ledger, 4)) {
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(23);
            assertThat(pool.position(Direction.BOB_TO_ALICE)).isEqualTo(21);
            // word 23 of A→B is the deposit's word 3 of that direction, its 7th 64-bit word (value 7)
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(0x0707070707070707L);
            assertThat(ledger.calls).containsExactly("reserve ALICE_TO_BOB 27");
            pool.deposit(new byte[16]);
            assertThat(ledger.calls).contains("deposit 4 at 28 of 16");
        }
        assertThatThrownBy(() -> AuthKeyPool.restore(java.util.List.of(key), 0, 0, 9, 0, ledger, 4))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AuthKeyPool.restore(java.util.List.of(key), 0, 5, 4, 5, ledger, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
