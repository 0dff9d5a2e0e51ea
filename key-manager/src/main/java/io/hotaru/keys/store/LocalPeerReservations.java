package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@link PeerReservations} for KMEs in one JVM: writes straight into the peer's store, by link. */
public final class LocalPeerReservations implements PeerReservations {
    private final Map<String, KeyStore> peerStoreByLink;

    /** @param peerStoreByLink for each link of this KME, the store of the KME at its other end */
    public LocalPeerReservations(Map<String, KeyStore> peerStoreByLink) {
        this.peerStoreByLink = Map.copyOf(peerStoreByLink);
    }

    @Override
    public void reserved(String linkId, String masterSae, String slaveSae, List<UUID> keyIds) {
        KeyStore peer = peerStoreByLink.get(linkId);
        if (peer == null) {
            throw new KeyManagerException(Code.PEER_SYNC_FAILED, "no peer KME known for link " + linkId);
        }
        peer.markReservedByPeer(linkId, keyIds, masterSae, slaveSae);
    }
}
