package io.hotaru.keys.distill.auth;

/**
 * Where an {@link AuthKeyPool} makes its state durable (the key store, in {@code
 * io.hotaru.keys.store.AuthKeyStore}): the deposits, and per direction a mark below which words may
 * have been handed out. The pool calls it before the words concerned are used, so after a crash the
 * pool restarts at the marks and never hands out a word twice; the words between the last word used
 * and the mark are burned. Calls return only once the change is durable, and come under the pool's
 * lock, one at a time.
 */
public interface AuthKeyLedger {
    /** Keeps nothing: a pool in memory only. */
    AuthKeyLedger NONE = new AuthKeyLedger() {
        @Override
        public void reserve(Direction direction, long mark) {}

        @Override
        public void deposit(long index, long firstWord, byte[] key) {}

        @Override
        public void withdraw(long fromIndex) {}
    };

    /** Records that words of {@code direction} below {@code mark} may be handed out (or have been). */
    void reserve(Direction direction, long mark);

    /**
     * Records deposit number {@code index}, whose words start at word {@code firstWord} of each
     * direction. The ledger copies (or encrypts) {@code key}; the caller zeroes it.
     */
    void deposit(long index, long firstWord, byte[] key);

    /** Forgets deposit {@code fromIndex} and every later one (never drawn from). */
    void withdraw(long fromIndex);

    /**
     * Records deposit {@code index} as {@link #deposit} does, and in the same durable change that
     * the pool's words of direction d from {@code heldFrom[d]} on are held ({@code Long.MAX_VALUE}:
     * none; {@link AuthKeyPool#depositHeld}).
     */
    default void depositHeld(long index, long firstWord, byte[] key, long[] heldFrom) {
        deposit(index, firstWord, key);
    }

    /**
     * Records that nothing is held from word {@code fromWord} on (the held words were released, or
     * withdrawn from there).
     */
    default void release(long fromWord) {}

    /** The pool is closed: the ledger may let another pool open the same state. */
    default void close() {}
}
