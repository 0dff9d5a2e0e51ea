package io.hotaru.keys.relay;

import io.hotaru.keys.store.KeyStore;
import java.time.Duration;

/**
 * How a lease (a pad lease or an authentication refill) that names units this end has no row of
 * yet waits for them: a distilled block reaches one end of a link first, and a waiting relay may
 * lease its units at once. The lease looks again each time this end's store stores a block of the
 * link, for up to half a relay's wait for a lease and at most {@link #MAX_WAIT}, before it is
 * refused; each look is a store step. Units that arrive after that are stored erased ({@link
 * KeyStore#burn}).
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
     * Looks, and while the look answers {@code notYet}, waits for the next block of {@code linkId}
     * this store stores and looks again; the look once the wait is over (or after an interrupt) is
     * the last. Anything else that decides the lease (a unit it names spent meanwhile) is seen at
     * the next look, when the wait ends at the latest.
     */
    <T> T look(String linkId, Look<T> look, T notYet) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            long seen = store.blocksStored(linkId); // before the look: a block stored during it wakes the wait
            boolean lastTry = deadline - System.nanoTime() <= 0;
            T answer = look.look(lastTry);
            if (answer != notYet) {
                return answer;
            }
            if (lastTry) {
                throw new IllegalStateException("a last look answered not yet");
            }
            long left = deadline - System.nanoTime();
            try {
                if (left > 0) {
                    store.awaitBlockAfter(linkId, seen, Duration.ofNanos(left));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                deadline = System.nanoTime();
            }
        }
    }
}
