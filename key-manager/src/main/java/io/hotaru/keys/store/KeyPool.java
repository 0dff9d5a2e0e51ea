package io.hotaru.keys.store;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What key delivery needs of a KME's key store. {@link KeyStore} is the implementation; the seam lets
 * tests count every call the ETSI 014 server makes.
 */
public interface KeyPool {
    /**
     * Reserves {@code number} keys of {@code sizeBits} from the oldest available units of the link,
     * of either half, durably, and returns their plaintext for the master. Every SAE of {@code
     * localSlaves} may then collect them here once with {@link #deliver}; {@code remoteSlaves} only go
     * into the announcement for the peer KME.
     *
     * @throws KeyManagerException {@code KEYS_EXHAUSTED} if the link has too few units; nothing is
     *     reserved then
     */
    Reservation reserve(
            String linkId,
            int number,
            int sizeBits,
            String masterSae,
            List<String> localSlaves,
            List<String> remoteSlaves);

    /**
     * Records that the master received the keys. Need not be durable before the answer: a key whose
     * master collection was lost in a crash is still reserved, and erased at expiry.
     */
    void confirmMasterDelivery(Reservation reservation);

    /** Undoes a reservation the peer KME did not confirm: its units become available again. */
    void release(Reservation reservation);

    /**
     * Releases keys to a slave SAE ({@code dec_keys}): only keys reserved by {@code masterSae} for
     * {@code requesterSae}, unexpired and not yet collected by it. All or nothing.
     *
     * @throws KeyManagerException {@code KEY_NOT_AVAILABLE}, the same for unknown, foreign, expired
     *     and already delivered keys
     */
    KeyBatch deliver(List<UUID> keyIds, String requesterSae, String masterSae);

    LinkStatus linkStatus(String linkId);

    /**
     * As {@link #reserve}, returning a future that completes once the reservation is durable, or
     * fails with the exception {@link #reserve} would throw. Unless {@link
     * #completesAsynchronously}, the default runs {@link #reserve} on the calling thread.
     */
    default CompletableFuture<Reservation> reserveAsync(
            String linkId,
            int number,
            int sizeBits,
            String masterSae,
            List<String> localSlaves,
            List<String> remoteSlaves) {
        try {
            return CompletableFuture.completedFuture(
                    reserve(linkId, number, sizeBits, masterSae, localSlaves, remoteSlaves));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * As {@link #reserveAsync(String, int, int, String, List, List)}, from the oldest units of {@code
     * half} first (the half of this end of the link, {@link UnitHalf#ofEnd}, so that a master at the
     * other end, picking from the other half, does not pick the same units at once), and calls
     * {@code announce}, unless null, with the announcement for the peer KME as soon as the
     * reservation is made, which may be before it is durable, so that the peer can record it
     * meanwhile. {@code announce} must not block.
     */
    CompletableFuture<Reservation> reserveAsync(
            String linkId,
            int number,
            int sizeBits,
            String masterSae,
            List<String> localSlaves,
            List<String> remoteSlaves,
            UnitHalf half,
            Consumer<PeerReservation> announce);

    /** As {@link #release}, as a future (see {@link #reserveAsync}). */
    default CompletableFuture<Void> releaseAsync(Reservation reservation) {
        try {
            release(reservation);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * As {@link #releaseAsync(Reservation)} after the peer KME refused the reservation: the units it
     * named spent, and those it has no row of that were stored here well before it forgot its spent
     * units ({@link PeerRefusal}), are erased here rather than made available. The default makes them
     * all available.
     */
    default CompletableFuture<Void> releaseAsync(Reservation reservation, PeerRefusal refusal) {
        return releaseAsync(reservation);
    }

    /** As {@link #deliver}, as a future (see {@link #reserveAsync}). */
    default CompletableFuture<KeyBatch> deliverAsync(List<UUID> keyIds, String requesterSae, String masterSae) {
        try {
            return CompletableFuture.completedFuture(deliver(keyIds, requesterSae, masterSae));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * True when the {@code *Async} methods never block their caller: they return at once and their
     * futures complete on the pool's own threads. False (the default) when they do the work on the
     * caller's thread, which must then be one that may block.
     */
    default boolean completesAsynchronously() {
        return false;
    }
}
