package io.hotaru.keys.distill.auth;

/**
 * An {@link AuthKeySource} that its link refills from its own key as it goes: both ends deposit
 * the same bytes in the same order, so they keep drawing the same words. A deposit may be made
 * <em>held</em> by the end that deposits first: its words are not handed out until that end knows
 * the peer holds the same deposit ({@link #releaseHeld}), or are withdrawn if the peer never got it
 * ({@link #withdrawTo}). The relay channel refills this way ({@code io.hotaru.keys.relay}).
 */
public interface RefillableAuthKeySource extends AuthKeySource {
    /** Words deposited per direction since the first deposit (the end of the pool, as a word index). */
    long depositedWords();

    /** Where the held words start in either direction ({@link #depositHeld}), or {@link #depositedWords}. */
    long usableEnd();

    /** Where the words {@code direction} may draw end: its held words' start, or {@link #depositedWords}. */
    long usableEnd(Direction direction);

    /**
     * Words per direction the pool lacks to hold {@code reserveWords} unused in its more-used
     * direction (negative when it holds more); see {@link AuthKeyPool#deficitWords}.
     */
    long deficitWords(long reserveWords);

    /** Adds {@code key} (a whole number of 16-byte units; copied, the caller zeroes it), usable at once. */
    void deposit(byte[] key);

    /**
     * Adds {@code key} as {@link #deposit} does, but holds its words (and those of every later
     * deposit) back until {@link #releaseHeld}: drawing up to them fails as if the pool were empty.
     */
    void depositHeld(byte[] key);

    /**
     * As {@link #depositHeld(byte[])}, holding back the words of {@code direction} only: for the end
     * that sends in that direction, which may check the peer's frames with the other direction's.
     */
    void depositHeld(byte[] key, Direction direction);

    /**
     * Reserves the last {@code words} before each direction's usable end one at a time instead of
     * in batches, so that a restart there burns one word: the relay channel keeps those words for
     * the frames that refill the pool.
     */
    void reserveTailSingly(long words);

    /** Makes every held deposit usable (the peer holds them too). */
    void releaseHeld();

    /**
     * Takes back the last deposits so that the pool ends at word {@code words} ({@link
     * AuthKeyPool#withdrawTo}); returns the deposits withdrawn.
     *
     * @throws IllegalStateException if words at or beyond {@code words} may have been handed out,
     *     or {@code words} is not the end of a deposit
     */
    int withdrawTo(long words);
}
