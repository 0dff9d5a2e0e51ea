package io.hotaru.keys.relay;

import io.hotaru.keys.store.KeyStore;
import java.time.Duration;

/**
 * How a lease (a pad lease or an authentication refill) that names units this end has no row of
 * yet waits for them: a distilled block reaches one end of a link first, and a waiting relay may
 * lease its units at once. The lease looks again each time this end's store stores a block, for up
 * to half a relay's wait for a lease and at most {@link #MAX_WAIT}, before it is refused; each look
 * is a store step. Units that arrive after that are stored erased ({@link KeyStore#burn}).
 */
final class ArrivalWait {
    /** Most a lease waits for units this end has not stored yet. */
    static final Duration MAX_WAIT = Duration.ofSeconds(1);

    /** One look at the store: the answer, or {@code notYet} (never on the last try). */
    @FunctionalInterface
    interface Look<T> {
        T look(boolean lastTry);
    }

    private final KeyStore store;
    private final Duration wait;

    /** @param leaseWait how long a relay waits for a lease under way */
    ArrivalWait(KeyStore store, Duration leaseWait) {
        this.store = store;
        Duration half = leaseWait.dividedBy(2);
        this.wait = half.compareTo(MAX_WAIT) < 0 ? half : MAX_WAIT;
    }

    /**
     * Looks, and while the look answers {@code notYet}, waits for the next block this store stores
     * and looks again; the look after the wait is over (or after an interrupt) is the last.
     */
    <T> T look(Look<T> look, T notYet) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            long seen = store.blocksStored(); // before the look: a block stored during it wakes the wait
            T answer = look.look(left <= 0);
            if (answer != notYet) {
                return answer;
            }
            if (left <= 0) {
                throw new IllegalStateException("a last look answered not yet");
            }
            try {
                store.awaitBlockAfter(seen, Duration.ofNanos(left));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deadline = System.nanoTime();
            }
        }
    }
}
