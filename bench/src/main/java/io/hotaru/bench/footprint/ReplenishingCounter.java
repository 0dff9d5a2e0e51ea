package io.hotaru.bench.footprint;

import io.hotaru.agent.link.KeySink;
import io.hotaru.keys.distill.auth.AuthAccount;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The key sink of a measured link end: as the daemon's sink does, it first puts back into the
 * link's authentication pool the tag key spent since the last deposit (whole 16-byte units from the
 * start of the block's key, the same rule at both ends so both pools stay equal), then counts the
 * rest and zeroes it instead of storing it.
 */
final class ReplenishingCounter implements KeySink {
    private final AuthKeyPool pool;
    private final Supplier<AuthAccount> account;
    private final AtomicLong keyBytes = new AtomicLong();
    private long depositedBits;

    ReplenishingCounter(AuthKeyPool pool, Supplier<AuthAccount> account) {
        this.pool = pool;
        this.account = account;
    }

    @Override
    public synchronized int accept(String linkId, long blockId, byte[] key) {
        AuthAccount spent = account.get();
        long debtBits = Math.max(0, spent.padBits() + spent.hashKeyBits() - depositedBits);
        int depositBytes = (int) Math.min(16 * ((debtBits + 127) / 128), (key.length / 16) * 16L);
        if (depositBytes > 0) {
            byte[] auth = Arrays.copyOfRange(key, 0, depositBytes);
            try {
                pool.deposit(auth);
            } finally {
                Arrays.fill(auth, (byte) 0);
            }
            depositedBits += 8L * depositBytes;
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
