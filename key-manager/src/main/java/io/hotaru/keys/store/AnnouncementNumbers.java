package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Numbers a master KME's announcements ({@link PeerReservation#sequence}) so that a later one
 * always carries a larger number, across restarts too: the high bits are the store's announcement
 * epoch, which every opening advances durably before the first announcement, the low 40 bits count
 * the announcements of this opening (2⁴⁰ of them: years at thousands a second).
 */
final class AnnouncementNumbers {
    static final int COUNTER_BITS = 40;
    private static final long COUNTER_LIMIT = 1L << COUNTER_BITS;

    private final long epochBits;
    private final AtomicLong counter = new AtomicLong();

    AnnouncementNumbers(long epoch) {
        if (epoch < 1 || epoch >= 1L << (Long.SIZE - 1 - COUNTER_BITS)) {
            throw new KeyManagerException(Code.STORAGE, "announcement epoch " + epoch + " is out of range");
        }
        this.epochBits = epoch << COUNTER_BITS;
    }

    /** The next number, larger than every number given before by this store. */
    long next() {
        long n = counter.incrementAndGet();
        if (n >= COUNTER_LIMIT) {
            throw new KeyManagerException(
                    Code.STORAGE, "this opening of the key store has numbered 2^40 announcements: reopen it");
        }
        return epochBits | n;
    }
}
