package io.hotaru.agent.node;

import io.hotaru.agent.link.KeySink;
import io.hotaru.agent.state.LinkStateMachine;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.Direction;
import java.util.Arrays;

/**
 * Tops the link's authentication pool back up, from each distilled block, before the rest of the
 * block reaches the key store.
 *
 * <p>The rule, identical at both ends so that both pools stay equal: after a distilled block, the
 * deficit is the number of words per direction by which the pool's unused words in its more-used
 * direction fall short of {@link #RESERVE_WORDS}: {@code max(position(A→B), position(B→A)) +
 * RESERVE_WORDS − depositedWords}. The first {@code min(16 · deficit, ⌊key / 16⌋ · 16)} bytes of
 * the block's key go to the pool (each 16-byte unit is one word per direction); the rest goes to
 * the store. The positions count every word a direction has left behind, whatever used it: tags and
 * hash keys, words skipped when a new connection synchronises the two ends, the rest of a batch
 * burned by a restart, the tags of blocks that aborted or were cut. So a link that loses its channel
 * many times pays all of it back from its next distilled blocks instead of draining its pre-shared
 * secret a little at every fault (found by the full reliability profile: 550 cuts exhausted a
 * 64 KiB secret when only the tags of each connection's own distilled blocks were repaid).
 *
 * <p>Both ends compute the same deposit: when a block ends distilled both have sent or verified
 * exactly the same tags (Bob's {@code Confirm} is the block's last message and Alice has read it),
 * each connection started with both ends moved to the same positions ({@code
 * AuthenticatedTransport.synchronize}), and both have made the same deposits before. Aborted blocks
 * deposit nothing; what they used is in the positions and paid by the next distilled block.
 *
 * <p>Only in KEYGEN does the rest reach the store; in any other state it is wiped (the deposit is
 * made in every state, so the pools never diverge).
 */
final class AuthReplenishingSink implements KeySink {

    /** Unused words per direction the pool is topped back up to ({@link AuthKeyPool#RESERVE_WORDS}). */
    static final long RESERVE_WORDS = AuthKeyPool.RESERVE_WORDS;

    /**
     * What the sink did with one block, for the audit log: the bytes given to the pool, the units
     * stored, whether key output was on, and the pool's state the deposit was computed from (its
     * positions and its end, in words per direction; public counts, no key material). Both ends
     * report the same figures for a block, so the two audit logs show where they part.
     */
    record Deposit(
            long blockId,
            int authBytes,
            int storedUnits,
            boolean output,
            long aliceToBobWords,
            long bobToAliceWords,
            long depositedWords) {

        /** The audit record's fields. */
        java.util.Map<String, Object> auditDetail() {
            java.util.Map<String, Object> detail = new java.util.LinkedHashMap<>();
            detail.put("block", blockId);
            detail.put("auth_bytes", authBytes);
            detail.put("stored_units", storedUnits);
            detail.put("output", output);
            detail.put("pool_ab_words", aliceToBobWords);
            detail.put("pool_ba_words", bobToAliceWords);
            detail.put("pool_deposited_words", depositedWords);
            return detail;
        }
    }

    private final AuthKeyPool pool;
    private final LinkStateMachine machine;
    private final KeySink store;
    private final java.util.function.Consumer<Deposit> report;
    private boolean closed;

    AuthReplenishingSink(
            AuthKeyPool pool, LinkStateMachine machine, KeySink store, java.util.function.Consumer<Deposit> report) {
        this.pool = pool;
        this.machine = machine;
        this.store = store;
        this.report = report;
    }

    /**
     * Keeps nothing more: the connection this sink served has ended and the link is resuming on a
     * new one. A block its old link end finishes late (after reading the peer's last message just
     * before the cut) is dropped at this end; the next {@code LinkResume} tells the peer, which
     * withdraws it too. Waits for an accept in progress, so the resumption sees it whole or not
     * at all.
     */
    synchronized void close() {
        closed = true;
    }

    @Override
    public synchronized int accept(String linkId, long blockId, byte[] key) {
        long ab = pool.position(Direction.ALICE_TO_BOB);
        long ba = pool.position(Direction.BOB_TO_ALICE);
        long deposited = pool.depositedWords();
        if (closed) {
            report.accept(new Deposit(blockId, 0, 0, false, ab, ba, deposited));
            return 0;
        }
        int depositBytes = (int) Math.min(16 * Math.max(0, deficitWords(pool)), (key.length / 16) * 16L);
        if (depositBytes > 0) {
            byte[] auth = Arrays.copyOfRange(key, 0, depositBytes);
            try {
                pool.deposit(auth);
            } finally {
                Arrays.fill(auth, (byte) 0);
            }
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
        report.accept(new Deposit(blockId, depositBytes, stored, output, ab, ba, deposited));
        return stored;
    }

    static long deficitWords(AuthKeyPool pool) {
        return pool.deficitWords(RESERVE_WORDS);
    }
}
