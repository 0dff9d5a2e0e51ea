package io.hotaru.keys.distill.auth;

/**
 * Where Wegman–Carter key bits come from: the link's pre-shared bootstrap secret, then its own
 * distilled key. Both ends hold identical sources and draw from each direction in the same order,
 * so they get the same words; a direction's words are never handed out twice. Implementations are
 * thread-safe (an end sends and receives on different threads).
 */
public interface AuthKeySource {
    /**
     * The next 64 key bits reserved for tags travelling in {@code direction}, counted as consumed.
     *
     * @throws AuthenticationException ({@link AuthenticationException.Code#KEY_EXHAUSTED}) when
     *     the direction has no bits left
     */
    long nextWord(Direction direction);

    /** Words handed out for {@code direction} so far (the next word's index). */
    long position(Direction direction);

    /**
     * Discards words of {@code direction} up to index {@code position} (no-op if already there),
     * so both ends continue from the same word after one of them spent words the other did not.
     *
     * @throws AuthenticationException ({@link AuthenticationException.Code#KEY_EXHAUSTED}) if the
     *     pool holds fewer words; nothing is discarded then
     */
    void skipTo(Direction direction, long position);
}
