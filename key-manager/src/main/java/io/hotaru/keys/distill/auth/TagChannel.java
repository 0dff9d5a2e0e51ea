package io.hotaru.keys.distill.auth;

/**
 * One direction of the authenticated channel: its sequence numbers, its hash key, the run of
 * messages not yet covered by a tag, and the key bits it spends. The sender seals and the receiver
 * opens the same messages in the same order, so both draw the same words from the {@link
 * AuthKeySource}: the hash key before the first message and at rotations (only between runs), one
 * pad word per tag. Not thread-safe; the transport serialises each direction.
 */
final class TagChannel {
    private final Direction direction;
    private final AuthKeySource keys;
    private final int rotateAfterRounds;
    private PolynomialHash hash;
    private boolean rotationDue = true;
    private boolean runOpen;
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

    /** The tag of the run ending with this message. */
    long seal(long blockId, byte[] frame) {
        return seal(blockId, frame, true);
    }

    /**
     * Adds the next message (sequence {@link #nextSequence()}) to the run; if {@code tagged}, ends
     * the run and returns its tag, else returns 0 and spends nothing.
     */
    long seal(long blockId, byte[] frame, boolean tagged) {
        absorb(frame);
        long tag = tagged ? WegmanCarter.finish(hash, nextPad()) : 0;
        runOpen = !tagged;
        nextSequence++;
        advanceRound(blockId);
        return tag;
    }

    void open(long sequence, byte[] frame, long tag) {
        open(sequence, frame, tag, true);
    }

    /**
     * Checks the next message. A tagged one is verified together with the untagged run before it;
     * an untagged one is only added to the run, to be verified with the next tag. On failure the
     * channel must not be used again; the pad of the failed tag is spent.
     */
    void open(long sequence, byte[] frame, long tag, boolean tagged) {
        long expected = nextSequence;
        if (sequence != expected) {
            if (tagged) {
                nextPad();
            }
            nextSequence++;
            throw new AuthenticationException(
                    AuthenticationException.Code.OUT_OF_SEQUENCE,
                    direction + " message " + sequence + " where " + expected + " was due");
        }
        absorb(frame);
        nextSequence++;
        runOpen = !tagged;
        if (tagged && WegmanCarter.finish(hash, nextPad()) != tag) {
            throw new AuthenticationException(
                    AuthenticationException.Code.TAG_MISMATCH, direction + " message " + expected);
        }
    }

    /** Counts rounds once a message's block is known (sealed here, or authentic, or in a run). */
    void advanceRound(long blockId) {
        if (!started || blockId != lastBlockId) {
            started = true;
            lastBlockId = blockId;
            if (++roundsOnKey > rotateAfterRounds) {
                rotationDue = true;
            }
        }
    }

    private void absorb(byte[] frame) {
        if (rotationDue && !runOpen) {
            if (hash != null) {
                hash.close();
            }
            hash = new PolynomialHash(keys.nextWord(direction));
            hashKeyBits += 64;
            rotationDue = false;
            roundsOnKey = started ? 1 : 0;
        }
        WegmanCarter.absorb(hash, direction, nextSequence, frame);
    }

    private long nextPad() {
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
