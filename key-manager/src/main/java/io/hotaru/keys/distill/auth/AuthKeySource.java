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
}
