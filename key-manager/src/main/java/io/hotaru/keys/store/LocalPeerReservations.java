package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.util.Map;

/** {@link PeerReservations} for KMEs in one JVM: writes straight into the peer's store, by link. */
public final class LocalPeerReservations implements PeerReservations {
    private final Map<String, KeyStore> peerStoreByLink;

    /** @param peerStoreByLink for each link of this KME, the store of the KME at its other end */
    public LocalPeerReservations(Map<String, KeyStore> peerStoreByLink) {
        this.peerStoreByLink = Map.copyOf(peerStoreByLink);
    }

    @Override
    public void reserved(PeerReservation reservation) {
        KeyStore peer = peerStoreByLink.get(reservation.linkId());
        if (peer == null) {
            throw new KeyManagerException(Code.PEER_SYNC_FAILED, "no peer KME known for link " + reservation.linkId());
        }
        peer.markReservedByPeer(reservation);
    }
}
