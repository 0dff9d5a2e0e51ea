package io.hotaru.agent.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.state.LinkEvent;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.keys.distill.auth.AuthAccount;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.Direction;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class AuthReplenishingSinkTest {

    private final AuthKeyPool pool = AuthKeyPool.bootstrap(new byte[1024]);
    private final AtomicReference<AuthAccount> account = new AtomicReference<>(AuthAccount.NONE);
    private final LinkStateMachine machine = new LinkStateMachine("A-B", t -> {});
    private final List<Integer> stored = new ArrayList<>();
    private final List<AuthReplenishingSink.Deposit> deposits = new ArrayList<>();
    private final AuthReplenishingSink sink = new AuthReplenishingSink(
            pool,
            account::get,
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

    @Test
    void depositsTheSpentTagKeyRoundedUpTo16BytesAndStoresTheRest() {
        keygen();
        long before = pool.availableBits(Direction.ALICE_TO_BOB);
        // 10 tags sent and verified: 640 pad bits, 100 hash key bits → 740 bits → 6 units of 128 bits
        account.set(new AuthAccount(5, 5, 640, 100, 4096));
        sink.accept("A-B", 0, new byte[1000]);
        assertThat(deposits.get(0).authBytes()).isEqualTo(96);
        assertThat(stored).containsExactly(904);
        assertThat(pool.availableBits(Direction.ALICE_TO_BOB) - before).isEqualTo(384);

        // 28 bits over-deposited before: 100 more bits → 72 owed → one unit
        account.set(new AuthAccount(5, 5, 640, 200, 4096));
        sink.accept("A-B", 1, new byte[1000]);
        assertThat(deposits.get(1).authBytes()).isEqualTo(16);
    }

    @Test
    void aShortBlockGoesWhollyToThePoolAndTheDebtIsCarried() {
        keygen();
        account.set(new AuthAccount(20, 20, 2560, 0, 0));
        sink.accept("A-B", 0, new byte[100]);
        assertThat(deposits.get(0).authBytes()).isEqualTo(96);
        assertThat(stored).containsExactly(4);
        sink.accept("A-B", 1, new byte[1000]);
        assertThat(deposits.get(1).authBytes()).isEqualTo(320 - 96);
    }

    @Test
    void outsideKeygenTheDepositIsMadeButNothingIsStored() {
        machine.fire(LinkEvent.START);
        account.set(new AuthAccount(1, 1, 128, 0, 0));
        assertThat(sink.accept("A-B", 0, new byte[1000])).isZero();
        assertThat(stored).isEmpty();
        assertThat(deposits.get(0).authBytes()).isEqualTo(16);
        assertThat(deposits.get(0).output()).isFalse();
    }
}
