package io.hotaru.keys.distill.auth;

/**
 * One direction of the authenticated channel: its sequence numbers, its hash key and the key
 * bits it spends. The sender seals and the receiver opens the same messages in the same order, so
 * both draw the same words from the {@link AuthKeySource}: the hash key at the first message and
 * after each rotation, then one pad word per message. Not thread-safe; the transport serialises
 * each direction.
 */
final class TagChannel {
    private final Direction direction;
    private final AuthKeySource keys;
    private final int rotateAfterRounds;
    private PolynomialHash hash;
    private boolean rotationDue = true;
    private int roundsOnKey;
    private boolean started;
    private long lastBlockId;
    private long nextSequence;
    private long tags;
    private long hashKeyBits;

    TagChannel(Direction direction, AuthKeySource keys, int rotateAfterRounds) {
        this.direction = direction;
        this.keys = keys;
        this.rotateAfterRounds = rotateAfterRounds;
    }

    long nextSequence() {
        return nextSequence;
    }

    /** The tag of the next message, which carries {@link #nextSequence()}; advances the channel. */
    long seal(long blockId, byte[] frame) {
        long pad = nextPad();
        long tag = WegmanCarter.tag(hash, direction, nextSequence, frame, pad);
        nextSequence++;
        advanceRound(blockId);
        return tag;
    }

    /**
     * Checks the next message. The pad for the expected sequence number is spent whatever the
     * outcome; on failure the channel must not be used again.
     */
    void open(long sequence, byte[] frame, long tag) {
        long expected = nextSequence;
        long pad = nextPad();
        nextSequence++;
        if (sequence != expected) {
            throw new AuthenticationException(
                    AuthenticationException.Code.OUT_OF_SEQUENCE,
                    direction + " message " + sequence + " where " + expected + " was due");
        }
        if (WegmanCarter.tag(hash, direction, expected, frame, pad) != tag) {
            throw new AuthenticationException(
                    AuthenticationException.Code.TAG_MISMATCH, direction + " message " + expected);
        }
    }

    /** Counts rounds once a message's block is known to be authentic. */
    void advanceRound(long blockId) {
        if (!started || blockId != lastBlockId) {
            started = true;
            lastBlockId = blockId;
            if (++roundsOnKey > rotateAfterRounds) {
                rotationDue = true;
            }
        }
    }

    private long nextPad() {
        if (rotationDue) {
            if (hash != null) {
                hash.close();
            }
            long key = keys.nextWord(direction);
            hashKeyBits += 64;
            hash = new PolynomialHash(key);
            rotationDue = false;
            roundsOnKey = started ? 1 : 0;
        }
        long pad = keys.nextWord(direction);
        tags++;
        return pad;
    }

    long tags() {
        return tags;
    }

    long hashKeyBits() {
        return hashKeyBits;
    }

    void close() {
        if (hash != null) {
            hash.close();
        }
    }
}
