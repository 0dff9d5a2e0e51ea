package io.hotaru.bench.footprint;

import io.hotaru.agent.link.KeySink;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The key sink of a measured link end: as the daemon's sink does, it first tops the link's
 * authentication pool back up to {@link AuthKeyPool#RESERVE_WORDS} unused words per direction
 * (whole 16-byte units from the start of the block's key, the same rule at both ends so both pools
 * stay equal), then counts the rest and zeroes it instead of storing it.
 */
final class ReplenishingCounter implements KeySink {
    private final AuthKeyPool pool;
    private final AtomicLong keyBytes = new AtomicLong();

    ReplenishingCounter(AuthKeyPool pool) {
        this.pool = pool;
    }

    @Override
    public synchronized int accept(String linkId, long blockId, byte[] key) {
        long deficit = Math.max(0, pool.deficitWords(AuthKeyPool.RESERVE_WORDS));
        int depositBytes = (int) Math.min(16 * deficit, (key.length / 16) * 16L);
        if (depositBytes > 0) {
            byte[] auth = Arrays.copyOfRange(key, 0, depositBytes);
            try {
                pool.deposit(auth);
            } finally {
                Arrays.fill(auth, (byte) 0);
            }
        }
        keyBytes.addAndGet(key.length - depositBytes);
        Arrays.fill(key, (byte) 0);
        return 0;
    }

    /** Key bytes left for the store after the deposits. */
    long keyBytes() {
        return keyBytes.get();
    }
}
