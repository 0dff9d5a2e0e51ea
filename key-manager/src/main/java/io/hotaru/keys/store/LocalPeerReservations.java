package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** {@link PeerReservations} for KMEs in one JVM: writes straight into the peer's store, by link. */
public final class LocalPeerReservations implements PeerReservations {
    private final Map<String, KeyStore> peerStoreByLink;

    /** @param peerStoreByLink for each link of this KME, the store of the KME at its other end */
    public LocalPeerReservations(Map<String, KeyStore> peerStoreByLink) {
        this.peerStoreByLink = Map.copyOf(peerStoreByLink);
    }

    @Override
    public void reserved(PeerReservation reservation) {
        peerOf(reservation).markReservedByPeer(reservation);
    }

    @Override
    public CompletableFuture<Void> reservedAsync(PeerReservation reservation) {
        try {
            return peerOf(reservation).markReservedByPeerAsync(reservation);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public boolean sharesLink(String linkId) {
        return peerStoreByLink.containsKey(linkId);
    }

    @Override
    public boolean completesAsynchronously() {
        return true;
    }

    private KeyStore peerOf(PeerReservation reservation) {
        KeyStore peer = peerStoreByLink.get(reservation.linkId());
        if (peer == null) {
            throw new KeyManagerException(Code.PEER_SYNC_FAILED, "no peer KME known for link " + reservation.linkId());
        }
        return peer;
    }
}
