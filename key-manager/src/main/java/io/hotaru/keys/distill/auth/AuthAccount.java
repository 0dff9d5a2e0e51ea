package io.hotaru.keys.distill.auth;

/**
 * Authentication key spent by one end of a link, both directions together. When every sent
 * message has been verified, both ends' accounts are equal. Differences of two snapshots give a
 * block's share, which the block report and the key accounting subtract.
 *
 * @param tagsSent messages sealed at this end
 * @param tagsVerified messages checked at this end (failed checks included: their pad is spent)
 * @param padBits one-time-pad bits, 64 per tag
 * @param hashKeyBits hash-key bits, 64 per key drawn
 * @param skippedBits bits discarded by {@link AuthenticatedTransport#synchronize} to catch up
 *     with the peer (what the peer spent in a session this end never saw complete)
 */
public record AuthAccount(long tagsSent, long tagsVerified, long padBits, long hashKeyBits, long skippedBits) {
    public static final AuthAccount NONE = new AuthAccount(0, 0, 0, 0, 0);

    /** Every authentication key bit this end consumed. */
    public long consumedBits() {
        return padBits + hashKeyBits + skippedBits;
    }

    public AuthAccount plus(AuthAccount other) {
        return new AuthAccount(
                tagsSent + other.tagsSent,
                tagsVerified + other.tagsVerified,
                padBits + other.padBits,
                hashKeyBits + other.hashKeyBits,
                skippedBits + other.skippedBits);
    }

    public AuthAccount minus(AuthAccount earlier) {
        return new AuthAccount(
                tagsSent - earlier.tagsSent,
                tagsVerified - earlier.tagsVerified,
                padBits - earlier.padBits,
                hashKeyBits - earlier.hashKeyBits,
                skippedBits - earlier.skippedBits);
    }
}
