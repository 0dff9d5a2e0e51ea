package io.hotaru.keys.distill.auth;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AuthKeySource} over a pre-shared bootstrap secret, topped up with distilled key. Every
 * deposit is split word by word between the directions (even 64-bit words for Alice → Bob, odd
 * ones for Bob → Alice), so both ends that deposit the same bytes in the same order draw the same
 * words. Words are zeroed as they are handed out; {@link #close()} zeroes the rest.
 *
 * <p>A durable pool ({@link #durable}, {@link #restore}) keeps its state in an {@link
 * AuthKeyLedger}: every deposit before its words can be drawn, and per direction a mark reserved a
 * batch of words ahead of the words handed out, before any of them is handed out. After a crash
 * {@link #restore} starts each direction at its mark: the unused rest of the last batch is burned,
 * no word is handed out twice.
 */
public final class AuthKeyPool implements RefillableAuthKeySource, AutoCloseable {
    private final Map<Direction, ArrayDeque<long[]>> chunks = new EnumMap<>(Direction.class);
    private final Map<Direction, Integer> headIndex = new EnumMap<>(Direction.class);
    private final long[] available = new long[2];
    private final long[] consumed = new long[2];
    private final long[] reserved = new long[2];
    private AuthKeyLedger ledger = AuthKeyLedger.NONE;
    private int batchWords = Integer.MAX_VALUE;
    /** Words per direction deposited since word 0 (the first word of the first deposit). */
    private long depositedWords;

    private long deposits;

    /** The last words before the usable end, reserved one at a time ({@link #reserveTailSingly}). */
    private long tailWords;

    /** Per direction, words from this index on are held back ({@link #depositHeld}); {@code Long.MAX_VALUE} if none. */
    private final long[] heldFrom = {Long.MAX_VALUE, Long.MAX_VALUE};

    private AuthKeyPool() {
        for (Direction d : Direction.values()) {
            chunks.put(d, new ArrayDeque<>());
            headIndex.put(d, 0);
        }
    }

    /**
     * An empty pool that records every deposit and reservation in {@code ledger} before it is
     * used; it reserves {@code batchWords} words of a direction at a time (one durable write per
     * batch, and at most a batch burned per crash).
     */
    public static AuthKeyPool durable(AuthKeyLedger ledger, int batchWords) {
        return restore(List.of(), 0, 0, 0, 0, ledger, batchWords);
    }

    /**
     * The pool a durable one left: {@code keptDeposits} are its deposits from number {@code
     * firstDeposit} on (the earlier ones were used up), the first starting at word {@code
     * firstWord} of each direction; each direction goes on from its mark ({@code aliceToBobMark},
     * {@code bobToAliceMark}), words below it being used or burned. The pool copies the deposits;
     * the caller zeroes them.
     *
     * @throws IllegalArgumentException if a mark lies before the kept deposits or beyond their end
     */
    public static AuthKeyPool restore(
            List<byte[]> keptDeposits,
            long firstDeposit,
            long firstWord,
            long aliceToBobMark,
            long bobToAliceMark,
            AuthKeyLedger ledger,
            int batchWords) {
        return restore(
                keptDeposits,
                firstDeposit,
                firstWord,
                aliceToBobMark,
                bobToAliceMark,
                new long[] {Long.MAX_VALUE, Long.MAX_VALUE},
                ledger,
                batchWords);
    }

    /**
     * As {@link #restore(List, long, long, long, long, AuthKeyLedger, int)}, with the words from
     * {@code heldFrom[d]} on held in direction d ({@link #depositHeld}; {@code Long.MAX_VALUE}: none).
     *
     * @throws IllegalArgumentException also if a mark lies beyond the held words' start
     */
    public static AuthKeyPool restore(
            List<byte[]> keptDeposits,
            long firstDeposit,
            long firstWord,
            long aliceToBobMark,
            long bobToAliceMark,
            long[] heldFrom,
            AuthKeyLedger ledger,
            int batchWords) {
        if (batchWords < 1) {
            throw new IllegalArgumentException("batchWords must be at least 1: " + batchWords);
        }
        AuthKeyPool pool = new AuthKeyPool();
        pool.deposits = firstDeposit;
        pool.depositedWords = firstWord;
        pool.consumed[0] = 64 * firstWord;
        pool.consumed[1] = 64 * firstWord;
        for (byte[] deposit : keptDeposits) {
            pool.deposit(deposit);
        }
        try {
            long[] marks = {aliceToBobMark, bobToAliceMark};
            for (Direction d : Direction.values()) {
                long mark = marks[d.ordinal()];
                if (mark < firstWord || mark > pool.depositedWords) {
                    throw new IllegalArgumentException("mark " + mark + " of " + d + " outside the kept words "
                            + firstWord + ".." + pool.depositedWords);
                }
                if (mark > heldFrom[d.ordinal()]) {
                    throw new IllegalArgumentException(
                            "mark " + mark + " of " + d + " beyond the held words from " + heldFrom[d.ordinal()]);
                }
                pool.drop(d, mark - firstWord);
                pool.reserved[d.ordinal()] = mark;
            }
            for (Direction d : Direction.values()) {
                long from = heldFrom[d.ordinal()];
                pool.heldFrom[d.ordinal()] = from < pool.depositedWords ? from : Long.MAX_VALUE;
                if (from != Long.MAX_VALUE && from >= pool.depositedWords) {
                    ledger.release(from); // a hold left behind its withdrawn deposits by a crash
                }
            }
        } catch (RuntimeException e) {
            pool.zeroWords(); // the pool is not handed out: its copies of the deposits go now
            throw e;
        }
        pool.ledger = ledger;
        pool.batchWords = batchWords;
        return pool;
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
    @Override
    public synchronized void deposit(byte[] key) {
        append(key, heldFrom.clone());
    }

    /** Adds {@code key}, holding per direction the words from {@code held[d]} on. */
    private void append(byte[] key, long[] held) {
        if (key.length % 16 != 0) {
            throw new IllegalArgumentException("authentication key of " + key.length + " bytes, not a multiple of 16");
        }
        int words = key.length / 16;
        if (words == 0) {
            return;
        }
        if (!java.util.Arrays.equals(held, heldFrom)) {
            ledger.depositHeld(deposits, depositedWords, key, held); // the deposit and its holds, one change
            System.arraycopy(held, 0, heldFrom, 0, 2);
        } else {
            ledger.deposit(deposits, depositedWords, key);
        }
        deposits++;
        depositedWords += words;
        long[] ab = new long[words];
        long[] ba = new long[words];
        for (int w = 0; w < 2 * words; w++) {
            long v = 0;
            for (int b = 0; b < 8; b++) {
                v = (v << 8) | (key[8 * w + b] & 0xFF);
            }
            ((w & 1) == 0 ? ab : ba)[w >>> 1] = v;
        }
        chunks.get(Direction.ALICE_TO_BOB).add(ab);
        chunks.get(Direction.BOB_TO_ALICE).add(ba);
        available[0] += 64L * words;
        available[1] += 64L * words;
    }

    @Override
    public synchronized void depositHeld(byte[] key) {
        append(key, new long[] {Math.min(heldFrom[0], depositedWords), Math.min(heldFrom[1], depositedWords)});
    }

    @Override
    public synchronized void depositHeld(byte[] key, Direction direction) {
        long[] held = heldFrom.clone();
        held[direction.ordinal()] = Math.min(held[direction.ordinal()], depositedWords);
        append(key, held);
    }

    @Override
    public synchronized void reserveTailSingly(long words) {
        tailWords = Math.max(0, words);
    }

    @Override
    public synchronized void releaseHeld() {
        long from = Math.min(heldFrom[0], heldFrom[1]);
        if (from != Long.MAX_VALUE) {
            ledger.release(from);
            heldFrom[0] = Long.MAX_VALUE;
            heldFrom[1] = Long.MAX_VALUE;
        }
    }

    @Override
    public synchronized long usableEnd() {
        return Math.min(Math.min(heldFrom[0], heldFrom[1]), depositedWords);
    }

    @Override
    public synchronized long usableEnd(Direction direction) {
        return Math.min(heldFrom[direction.ordinal()], depositedWords);
    }

    /**
     * Takes back the last deposits so that the pool ends at word {@code words} of each direction,
     * as the peer's pool does when a block distilled at this end only (its key never reached the
     * peer): the withdrawn words are zeroed and forgotten, durably, and the next deposit takes their
     * place. Only words never handed out can be withdrawn.
     *
     * @return the deposits withdrawn (0 if the pool already ends there)
     * @throws IllegalStateException if {@code words} is not the end of a deposit at or after every
     *     word this pool may have handed out (its position, and a durable pool's marks), or lies
     *     beyond the pool's end; the pool is unchanged
     */
    @Override
    public synchronized int withdrawTo(long words) {
        if (words == depositedWords) {
            return 0;
        }
        if (words > depositedWords) {
            throw new IllegalStateException(
                    "cannot withdraw to word " + words + ": the pool ends at word " + depositedWords);
        }
        for (Direction d : Direction.values()) {
            // a durable pool's mark is what a restarted pool goes on from; a pool in memory has none
            long used = ledger == AuthKeyLedger.NONE ? position(d) : Math.max(reserved[d.ordinal()], position(d));
            if (used > words) {
                throw new IllegalStateException(
                        "cannot withdraw to word " + words + ": " + d + " may have handed out words up to " + used);
            }
        }
        ArrayDeque<long[]> ab = chunks.get(Direction.ALICE_TO_BOB);
        int count = 0;
        long end = depositedWords;
        java.util.Iterator<long[]> tail = ab.descendingIterator();
        while (end > words && tail.hasNext()) {
            end -= tail.next().length;
            count++;
        }
        if (end != words) {
            throw new IllegalStateException("cannot withdraw to word " + words + ": not the end of a deposit");
        }
        ledger.withdraw(deposits - count);
        for (Direction d : Direction.values()) {
            ArrayDeque<long[]> queue = chunks.get(d);
            for (int i = 0; i < count; i++) {
                Arrays.fill(queue.pollLast(), 0);
            }
            if (queue.isEmpty()) {
                headIndex.put(d, 0);
            }
            available[d.ordinal()] -= 64L * (depositedWords - words);
        }
        deposits -= count;
        depositedWords = words;
        boolean released = false;
        for (int d = 0; d < 2; d++) {
            if (heldFrom[d] >= words && heldFrom[d] != Long.MAX_VALUE) {
                heldFrom[d] = Long.MAX_VALUE;
                released = true;
            }
        }
        if (released) {
            ledger.release(words);
        }
        return count;
    }

    @Override
    public synchronized long nextWord(Direction direction) {
        int d = direction.ordinal();
        long position = consumed[d] / 64;
        if (position >= heldFrom[d]) {
            throw new AuthenticationException(
                    AuthenticationException.Code.KEY_EXHAUSTED,
                    "no authentication key left for " + direction + " until the peer confirms the deposit from word "
                            + heldFrom[d]);
        }
        if (position >= reserved[d] && available[d] > 0) {
            long end = usableEnd(direction);
            // the last tailWords before the end are reserved one at a time: a restart burns one
            long mark = end - tailWords > position
                    ? Math.min(end - tailWords, position + batchWords)
                    : Math.min(end, position + 1);
            ledger.reserve(direction, mark); // durable before any of these words leaves the pool
            reserved[d] = mark;
        }
        return take(direction);
    }

    private long take(Direction direction) {
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
        if (skip > available[direction.ordinal()] / 64 || position > heldFrom[direction.ordinal()]) {
            throw new AuthenticationException(
                    AuthenticationException.Code.KEY_EXHAUSTED,
                    "the peer is at word " + position + " of " + direction + " but this end holds words only up to "
                            + depositedWords + ": this end's authentication key is behind the peer's");
        }
        drop(direction, skip);
    }

    /** Discards the next {@code words} words (burned: never handed out). */
    private void drop(Direction direction, long words) {
        for (long i = 0; i < words; i++) {
            take(direction);
        }
    }

    /**
     * Unused words per direction a link's pool is topped back up to from its distilled blocks: a
     * 64 KiB pre-shared secret's worth. A protocol constant: both ends of a link must use the same.
     */
    public static final long RESERVE_WORDS = 4096;

    /**
     * Words per direction this pool lacks to hold {@code reserveWords} unused in its more-used
     * direction (negative when it holds more). Counted from the positions, so it covers every word a
     * direction has left behind: tags, hash keys, words skipped by a resynchronisation, the rest of a
     * batch burned by a restart. Two ends with the same positions and deposits get the same figure.
     */
    @Override
    public synchronized long deficitWords(long reserveWords) {
        long used = Math.max(position(Direction.ALICE_TO_BOB), position(Direction.BOB_TO_ALICE));
        return used + reserveWords - depositedWords;
    }

    /** Words deposited per direction since the pool's first deposit (its end, as a word index). */
    @Override
    public synchronized long depositedWords() {
        return depositedWords;
    }

    /** The durable mark of {@code direction}: words below it may have been handed out. */
    public synchronized long reservedMark(Direction direction) {
        return reserved[direction.ordinal()];
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
        zeroWords();
        ledger.close();
    }

    private void zeroWords() {
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
