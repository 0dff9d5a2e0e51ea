package io.hotaru.agent.node;

import io.hotaru.agent.link.KeySink;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.keys.distill.auth.AuthAccount;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * Puts back into the link's authentication pool, from each distilled block, the key the
 * Wegman–Carter tags have spent so far, before the rest of the block reaches the key store.
 *
 * <p>The rule, identical at both ends so that both pools stay equal: after a distilled block, the
 * debt is the tag key spent since the link started (pads and hash keys, both directions, as counted
 * by {@link AuthAccount}; words skipped by a resynchronisation are not counted) minus what was
 * deposited so far. The first {@code min(⌈debt / 128⌉ · 16, ⌊key / 16⌋ · 16)} bytes of the block's
 * key go to the pool (the pool takes whole 16-byte units); the rest goes to the store. Both ends
 * have sent or verified exactly the same tags when a block ends distilled (Bob's {@code Confirm} is
 * the block's last message and Alice has read it), so both compute the same amount. Aborted blocks
 * deposit nothing; their cost is paid by the next distilled block.
 *
 * <p>Only in KEYGEN does the rest reach the store; in any other state it is wiped (the deposit is
 * made in every state, so the pools never diverge).
 */
final class AuthReplenishingSink implements KeySink {

    /** What the sink did with one block, for the audit log. */
    record Deposit(long blockId, int authBytes, int storedUnits, boolean output) {}

    private final AuthKeyPool pool;
    private final Supplier<AuthAccount> account;
    private final LinkStateMachine machine;
    private final KeySink store;
    private final java.util.function.Consumer<Deposit> report;
    private long depositedBits;

    AuthReplenishingSink(
            AuthKeyPool pool,
            Supplier<AuthAccount> account,
            LinkStateMachine machine,
            KeySink store,
            java.util.function.Consumer<Deposit> report) {
        this.pool = pool;
        this.account = account;
        this.machine = machine;
        this.store = store;
        this.report = report;
    }

    @Override
    public synchronized int accept(String linkId, long blockId, byte[] key) {
        AuthAccount spent = account.get();
        long debtBits = spent.padBits() + spent.hashKeyBits() - depositedBits;
        int depositBytes = (int) Math.min(16 * ceilDiv(Math.max(0, debtBits), 128), (key.length / 16) * 16L);
        if (depositBytes > 0) {
            byte[] auth = Arrays.copyOfRange(key, 0, depositBytes);
            try {
                pool.deposit(auth);
            } finally {
                Arrays.fill(auth, (byte) 0);
            }
            depositedBits += 8L * depositBytes;
        }
        int stored = 0;
        boolean output = machine.outputsKey();
        if (output && key.length > depositBytes) {
            byte[] rest = Arrays.copyOfRange(key, depositBytes, key.length);
            try {
                stored = store.accept(linkId, blockId, rest);
            } finally {
                Arrays.fill(rest, (byte) 0);
            }
        }
        report.accept(new Deposit(blockId, depositBytes, stored, output));
        return stored;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
