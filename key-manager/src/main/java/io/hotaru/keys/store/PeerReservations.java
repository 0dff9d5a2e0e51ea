package io.hotaru.keys.store;

import java.util.List;
import java.util.UUID;

/**
 * Tells the slave SAE's KME that the master's KME reserved keys for a (master, slave) pair. Called
 * before the keys are returned to the master; returning normally means the peer stored the
 * reservation durably. Today {@link LocalPeerReservations} (peers in one JVM); later the
 * authenticated peer channel.
 */
@FunctionalInterface
public interface PeerReservations {
    /**
     * @throws KeyManagerException {@code PEER_SYNC_FAILED} or {@code KEY_NOT_AVAILABLE} if the peer
     *     did not record the reservation (it then changed nothing)
     */
    void reserved(String linkId, String masterSae, String slaveSae, List<UUID> keyIds);
}
