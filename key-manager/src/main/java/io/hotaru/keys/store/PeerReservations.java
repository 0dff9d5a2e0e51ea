package io.hotaru.keys.store;

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
}
