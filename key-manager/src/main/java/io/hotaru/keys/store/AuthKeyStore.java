package io.hotaru.keys.store;

import io.hotaru.keys.distill.auth.AuthKeyLedger;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Durable Wegman–Carter key pools in the key store's file (docs/adr/0011-durable-authentication-keys.md):
 * per pool (one per link and purpose, e.g. {@code "A-B"} for distillation, {@code "relay/A-B"} for
 * the relay channel) the deposits, sealed under the node master key like every stored key, and per
 * direction the mark below which words may have been used. A pool made here records a deposit
 * before its words can be drawn and reserves words in batches before handing them out, each a
 * durable store operation; reopened after a crash, it goes on from the marks, so no word is handed
 * out twice.
 *
 * <p>The bootstrap secret is read only for a pool with no state yet, and stored as its first
 * deposit. The store keeps a keyed fingerprint of every bootstrap secret it took and refuses one it
 * took before, for any pool: re-keying a link with its old secret file would repeat its
 * authentication words. A pool whose state cannot be read fails closed. One instance per store; a
 * pool is open at most once at a time.
 */
public final class AuthKeyStore {
    /** Words reserved per direction at a time: one fsync per 64 tags, at most 4096 bits burned per crash. */
    public static final int DEFAULT_BATCH_WORDS = 64;

    private final KeyStore store;
    private final AuthKeyTable table;
    private final Set<String> open = ConcurrentHashMap.newKeySet();

    public AuthKeyStore(KeyStore store) {
        this.store = store;
        this.table = new AuthKeyTable(store.connection(), store.sealer());
        store.runOnWriter(() -> {
            table.createIfMissing();
            return null;
        });
    }

    /** Whether {@code pool} has state in the store (then its bootstrap secret is never read again). */
    public boolean hasState(String pool) {
        return store.runOnWriter(() -> table.marks(pool) != null);
    }

    /** {@link #open(String, Supplier, int)} with {@link #DEFAULT_BATCH_WORDS}. */
    public AuthKeyPool open(String pool, Supplier<byte[]> bootstrap) {
        return open(pool, bootstrap, DEFAULT_BATCH_WORDS);
    }

    /**
     * The pool as the store holds it, or, if it has no state yet, a new one holding {@code
     * bootstrap}'s secret (a whole number of 16-byte units; zeroed here after it is stored).
     *
     * @throws KeyManagerException ({@link Code#CORRUPT_KEY}) if the state cannot be read, ({@link
     *     Code#INVALID_ARGUMENT}) if the pool is open already or the secret is not whole units
     */
    public AuthKeyPool open(String pool, Supplier<byte[]> bootstrap, int batchWords) {
        if (!open.add(pool)) {
            throw new KeyManagerException(
                    Code.INVALID_ARGUMENT, "authentication key pool " + pool + " is open already in " + store.file());
        }
        try {
            AuthKeyTable.Marks marks = store.runOnWriter(() -> table.marks(pool));
            return marks == null ? create(pool, bootstrap.get(), batchWords) : restore(pool, marks, batchWords);
        } catch (RuntimeException e) {
            open.remove(pool);
            throw e;
        }
    }

    private AuthKeyPool create(String pool, byte[] secret, int batchWords) {
        try {
            if (secret.length == 0 || secret.length % 16 != 0) {
                throw new KeyManagerException(
                        Code.INVALID_ARGUMENT,
                        "bootstrap secret of " + pool + " is " + secret.length
                                + " bytes, not a positive multiple of 16");
            }
            store.runOnWriter(() -> {
                byte[] fingerprint = table.bootstrapFingerprint(secret); // the sealer is the writer's
                AuthKeyTable.Bootstrap before = table.bootstrapOf(fingerprint);
                if (before != null) {
                    throw new KeyManagerException(
                            Code.CONFIG,
                            "the bootstrap secret given for authentication key pool " + pool + " is the one pool "
                                    + before.pool() + " took on " + Instant.ofEpochMilli(before.createdAt())
                                    + " in " + store.file() + "; a secret must never serve twice (its words"
                                    + " would authenticate two streams): give both ends of the link a new one");
                }
                table.recordBootstrap(fingerprint, pool, System.currentTimeMillis());
                table.createMarks(pool);
                table.insertDeposit(pool, 0, 0, secret);
                return null;
            });
            return AuthKeyPool.restore(List.of(secret), 0, 0, 0, 0, new Ledger(pool), batchWords);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    private AuthKeyPool restore(String pool, AuthKeyTable.Marks marks, int batchWords) {
        List<AuthKeyTable.Deposit> deposits;
        try {
            deposits = store.runOnWriter(
                    () -> table.deposits(pool), dropped -> dropped.forEach(d -> Arrays.fill(d.key(), (byte) 0)));
        } catch (KeyManagerException e) {
            throw unreadable(pool, e.getMessage());
        }
        List<byte[]> keys = new ArrayList<>();
        try {
            if (deposits.isEmpty()) {
                throw unreadable(pool, "no deposits");
            }
            long nextWord = deposits.get(0).firstWord();
            long nextIndex = deposits.get(0).index();
            for (AuthKeyTable.Deposit d : deposits) {
                if (d.index() != nextIndex || d.firstWord() != nextWord || d.key().length != 16 * d.words()) {
                    throw unreadable(pool, "deposit " + d.index() + " does not follow the one before");
                }
                keys.add(d.key());
                nextIndex++;
                nextWord += d.words();
            }
            long[] heldFrom = store.runOnWriter(() -> table.heldFrom(pool));
            try {
                return AuthKeyPool.restore(
                        keys,
                        deposits.get(0).index(),
                        deposits.get(0).firstWord(),
                        marks.aliceToBob(),
                        marks.bobToAlice(),
                        heldFrom,
                        new Ledger(pool),
                        batchWords);
            } catch (IllegalArgumentException e) {
                throw unreadable(pool, e.getMessage());
            }
        } finally {
            deposits.forEach(d -> Arrays.fill(d.key(), (byte) 0));
        }
    }

    private KeyManagerException unreadable(String pool, String why) {
        return new KeyManagerException(
                Code.CORRUPT_KEY,
                "authentication key state of " + pool + " in " + store.file() + " cannot be used (" + why
                        + "); the link stays down: restore the store file from its backup, or re-key the link at"
                        + " both ends (a new auth_bootstrap_key and a new link id)");
    }

    /** Records one pool's deposits and marks in the store, each durably before the pool goes on. */
    private final class Ledger implements AuthKeyLedger {
        private final String pool;
        private volatile boolean closed;

        Ledger(String pool) {
            this.pool = pool;
        }

        @Override
        public void reserve(Direction direction, long mark) {
            store.runOnWriter(() -> {
                table.advanceMark(pool, direction == Direction.ALICE_TO_BOB, mark);
                return null;
            });
        }

        @Override
        public void deposit(long index, long firstWord, byte[] key) {
            byte[] copy = key.clone(); // the caller zeroes its array once this returns
            try {
                store.runOnWriter(() -> {
                    table.insertDeposit(pool, index, firstWord, copy);
                    return null;
                });
            } finally {
                Arrays.fill(copy, (byte) 0);
            }
        }

        @Override
        public void depositHeld(long index, long firstWord, byte[] key, long[] heldFrom) {
            byte[] copy = key.clone(); // the caller zeroes its array once this returns
            try {
                store.runOnWriter(() -> {
                    table.insertDeposit(pool, index, firstWord, copy);
                    table.hold(pool, heldFrom);
                    return null;
                });
            } finally {
                Arrays.fill(copy, (byte) 0);
            }
        }

        @Override
        public void release(long fromWord) {
            store.runOnWriter(() -> {
                table.release(pool, fromWord);
                return null;
            });
        }

        @Override
        public void withdraw(long fromIndex) {
            store.runOnWriter(() -> {
                table.deleteDepositsFrom(pool, fromIndex);
                return null;
            });
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                open.remove(pool);
            }
        }
    }

    @Override
    public String toString() {
        return "AuthKeyStore[" + store.file() + "]";
    }
}
