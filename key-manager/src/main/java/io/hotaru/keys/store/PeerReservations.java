package io.hotaru.keys.store;

import java.util.concurrent.CompletableFuture;

/**
 * Tells the slave SAEs' KME that the master's KME reserved keys for them. Called before the keys
 * are returned to the master; returning normally means the peer stored the reservation durably.
 * Today {@link LocalPeerReservations} (peers in one JVM); later the authenticated peer channel.
 */
@FunctionalInterface
public interface PeerReservations {
    /**
     * @throws KeyManagerException {@code PEER_SYNC_FAILED} or {@code KEY_NOT_AVAILABLE} if the peer
     *     did not record the reservation (it then changed nothing)
     */
    void reserved(PeerReservation reservation);

    /**
     * As {@link #reserved}, returning a future that completes once the peer stored the reservation
     * durably, or fails with the exception {@link #reserved} would throw. Unless {@link
     * #completesAsynchronously}, the default runs {@link #reserved} on the calling thread.
     */
    default CompletableFuture<Void> reservedAsync(PeerReservation reservation) {
        try {
            reserved(reservation);
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * True when the link's key is shared with a peer KME, which must then hear of every reservation
     * on it: a reservation it never heard of would leave its units available there, to be handed out
     * a second time. False by default (a link this KME holds alone).
     */
    default boolean sharesLink(String linkId) {
        return false;
    }

    /** True when {@link #reservedAsync} never blocks its caller (see {@link KeyPool#completesAsynchronously}). */
    default boolean completesAsynchronously() {
        return false;
    }
}
