package io.hotaru.keys.distill.auth;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * An {@link AuthKeySource} over a pre-shared bootstrap secret, topped up with distilled key. Every
 * deposit is split word by word between the directions (even 64-bit words for Alice → Bob, odd
 * ones for Bob → Alice), so both ends that deposit the same bytes in the same order draw the same
 * words. Words are zeroed as they are handed out; {@link #close()} zeroes the rest.
 */
public final class AuthKeyPool implements AuthKeySource, AutoCloseable {
    private final Map<Direction, ArrayDeque<long[]>> chunks = new EnumMap<>(Direction.class);
    private final Map<Direction, Integer> headIndex = new EnumMap<>(Direction.class);
    private final long[] available = new long[2];
    private final long[] consumed = new long[2];

    private AuthKeyPool() {
        for (Direction d : Direction.values()) {
            chunks.put(d, new ArrayDeque<>());
            headIndex.put(d, 0);
        }
    }

    /**
     * A pool holding the link's pre-shared secret (a whole number of 16-byte units, so both
     * directions get the same share). The pool copies it; the caller zeroes its array.
     */
    public static AuthKeyPool bootstrap(byte[] preSharedSecret) {
        AuthKeyPool pool = new AuthKeyPool();
        pool.deposit(preSharedSecret);
        return pool;
    }

    /**
     * Adds key bits (the link's own distilled key set aside for authentication), a whole number of
     * 16-byte units. The pool copies them; the caller zeroes its array.
     */
    public synchronized void deposit(byte[] key) {
        if (key.length % 16 != 0) {
            throw new IllegalArgumentException("authentication key of " + key.length + " bytes, not a multiple of 16");
        }
        int words = key.length / 16;
        long[] ab = new long[words];
        long[] ba = new long[words];
        for (int w = 0; w < 2 * words; w++) {
            long v = 0;
            for (int b = 0; b < 8; b++) {
                v = (v << 8) | (key[8 * w + b] & 0xFF);
            }
            ((w & 1) == 0 ? ab : ba)[w >>> 1] = v;
        }
        if (words > 0) {
            chunks.get(Direction.ALICE_TO_BOB).add(ab);
            chunks.get(Direction.BOB_TO_ALICE).add(ba);
            available[0] += 64L * words;
            available[1] += 64L * words;
        }
    }

    @Override
    public synchronized long nextWord(Direction direction) {
        ArrayDeque<long[]> queue = chunks.get(direction);
        long[] head = queue.peek();
        if (head == null) {
            throw new AuthenticationException(
                    AuthenticationException.Code.KEY_EXHAUSTED, "no authentication key left for " + direction);
        }
        int i = headIndex.get(direction);
        long word = head[i];
        head[i] = 0;
        if (i + 1 == head.length) {
            queue.poll();
            headIndex.put(direction, 0);
        } else {
            headIndex.put(direction, i + 1);
        }
        available[direction.ordinal()] -= 64;
        consumed[direction.ordinal()] += 64;
        return word;
    }

    @Override
    public synchronized long position(Direction direction) {
        return consumed[direction.ordinal()] / 64;
    }

    @Override
    public synchronized void skipTo(Direction direction, long position) {
        long skip = position - position(direction);
        if (skip <= 0) {
            return;
        }
        if (skip > available[direction.ordinal()] / 64) {
            throw new AuthenticationException(
                    AuthenticationException.Code.KEY_EXHAUSTED, "cannot skip " + skip + " words of " + direction);
        }
        for (long i = 0; i < skip; i++) {
            nextWord(direction);
        }
    }

    /** Bits left for tags in {@code direction}. */
    public synchronized long availableBits(Direction direction) {
        return available[direction.ordinal()];
    }

    /** Bits handed out for {@code direction} since the pool was made. */
    public synchronized long consumedBits(Direction direction) {
        return consumed[direction.ordinal()];
    }

    /** Zeroes every word not yet handed out and empties the pool. */
    @Override
    public synchronized void close() {
        for (ArrayDeque<long[]> queue : chunks.values()) {
            for (long[] chunk : queue) {
                Arrays.fill(chunk, 0);
            }
            queue.clear();
        }
        available[0] = 0;
        available[1] = 0;
    }

    @Override
    public synchronized String toString() {
        return "AuthKeyPool[availableBits=" + available[0] + "/" + available[1] + ", consumedBits=" + consumed[0] + "/"
                + consumed[1] + "]";
    }
}
