package io.hotaru.keys.store;

import java.time.Instant;
import java.util.List;

/**
 * What the master's KME tells the slave's KME before it answers {@code enc_keys}: these keys of the
 * link, composed so, are reserved by {@code masterSae} for each of {@code slaveSaes} (the slaves
 * behind the peer KME), until {@code expiresAt}, after which both ends erase them. Holds no key
 * material.
 */
public record PeerReservation(
        String linkId, String masterSae, List<String> slaveSaes, List<KeyComposition> keys, Instant expiresAt) {
    public PeerReservation {
        slaveSaes = List.copyOf(slaveSaes);
        keys = List.copyOf(keys);
    }
}
