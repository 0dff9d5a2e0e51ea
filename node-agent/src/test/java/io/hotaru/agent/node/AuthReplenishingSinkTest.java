package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.Direction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AuthReplenishingSinkTest {

    /** A 64 KiB secret: exactly the reserve, 4,096 words per direction. */
    private final AuthKeyPool pool = AuthKeyPool.bootstrap(new byte[64 * 1024]);

    private final LinkStateMachine machine = new LinkStateMachine("A-B", t -> {});
    private final List<Integer> stored = new ArrayList<>();
    private final List<AuthReplenishingSink.Deposit> deposits = new ArrayList<>();
    private final AuthReplenishingSink sink = new AuthReplenishingSink(
            pool,
            machine,
            (link, block, key) -> {
                stored.add(key.length);
                return key.length / 32;
            },
            deposits::add);

    private void keygen() {
        for (LinkEvent e : List.of(LinkEvent.START, LinkEvent.SELFTEST_PASSED, LinkEvent.ALIGN, LinkEvent.ALIGNED)) {
            machine.fire(e);
        }
    }

    private void use(Direction direction, int words) {
        for (int i = 0; i < words; i++) {
            pool.nextWord(direction);
        }
    }

    @Test
    void depositsTheWordsOfTheMoreUsedDirectionAndStoresTheRest() {
        keygen();
        use(Direction.ALICE_TO_BOB, 6);
        use(Direction.BOB_TO_ALICE, 4);
        sink.accept("A-B", 0, new byte[1000]);
        assertThat(deposits.get(0).authBytes()).isEqualTo(6 * 16);
        assertThat(stored).containsExactly(1000 - 96);
        assertThat(pool.availableBits(Direction.ALICE_TO_BOB)).isEqualTo(64 * AuthReplenishingSink.RESERVE_WORDS);
        assertThat(pool.availableBits(Direction.BOB_TO_ALICE)).isEqualTo(64 * (AuthReplenishingSink.RESERVE_WORDS + 2));

        // B→A has two words in hand: it takes three more before it is the short direction again
        use(Direction.BOB_TO_ALICE, 3);
        sink.accept("A-B", 1, new byte[1000]);
        assertThat(deposits.get(1).authBytes()).isEqualTo(16);
    }

    @Test
    void wordsSkippedOrBurnedOutsideAnyBlockArePaidBackByTheNextDistilledBlock() {
        keygen();
        // a resynchronisation after a cut moved both directions on without a tag of this end's
        pool.skipTo(Direction.ALICE_TO_BOB, 300);
        pool.skipTo(Direction.BOB_TO_ALICE, 250);
        sink.accept("A-B", 7, new byte[100_000]);
        assertThat(deposits.get(0).authBytes()).isEqualTo(300 * 16);
        assertThat(pool.availableBits(Direction.ALICE_TO_BOB)).isEqualTo(64 * AuthReplenishingSink.RESERVE_WORDS);
    }

    @Test
    void aShortBlockGoesWhollyToThePoolAndTheRestOfTheDeficitIsCarried() {
        keygen();
        use(Direction.ALICE_TO_BOB, 20);
        sink.accept("A-B", 0, new byte[100]);
        assertThat(deposits.get(0).authBytes()).isEqualTo(96);
        assertThat(stored).containsExactly(4);
        sink.accept("A-B", 1, new byte[1000]);
        assertThat(deposits.get(1).authBytes()).isEqualTo(320 - 96);
    }

    @Test
    void aPoolAboveTheReserveDepositsNothing() {
        AuthKeyPool large = AuthKeyPool.bootstrap(new byte[128 * 1024]);
        AuthReplenishingSink generous = new AuthReplenishingSink(large, machine, (l, b, k) -> k.length, deposits::add);
        keygen();
        for (int i = 0; i < 100; i++) {
            large.nextWord(Direction.ALICE_TO_BOB);
        }
        generous.accept("A-B", 0, new byte[1000]);
        assertThat(deposits.get(0).authBytes()).isZero();
    }

    @Test
    void outsideKeygenTheDepositIsMadeButNothingIsStored() {
        machine.fire(LinkEvent.START);
        use(Direction.ALICE_TO_BOB, 1);
        assertThat(sink.accept("A-B", 0, new byte[1000])).isZero();
        assertThat(stored).isEmpty();
        assertThat(deposits.get(0).authBytes()).isEqualTo(16);
        assertThat(deposits.get(0).output()).isFalse();
    }

    @Test
    void aClosedSinkKeepsNothingOfALateBlock() {
        keygen();
        use(Direction.ALICE_TO_BOB, 6);
        long deposited = pool.depositedWords();
        sink.close();
        assertThat(sink.accept("A-B", 3, new byte[1000])).isZero();
        assertThat(pool.depositedWords()).isEqualTo(deposited);
        assertThat(stored).isEmpty();
        assertThat(deposits.get(0).authBytes()).isZero();
    }
}
