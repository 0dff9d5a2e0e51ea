package io.hotaru.keys.store;

import java.time.Instant;
import java.util.List;

/**
 * What the master's KME tells the slave's KME before it answers {@code enc_keys}: these keys of the
 * link, composed so, are reserved by {@code masterSae} for each of {@code slaveSaes} (the slaves
 * behind the peer KME), until {@code expiresAt}, after which both ends erase them. Holds no key
 * material.
 *
 * <p>{@code sequence} numbers the master KME's announcements: a later announcement carries a larger
 * number, across restarts too ({@link KeyStore}). The slave's KME lets an announcement take back
 * units that an earlier one reserved and nobody collected, which only happens when the master
 * released or lost that earlier reservation; an earlier announcement arriving late never takes
 * units from a later one (docs/adr/0006-wal-fsync-off-the-store-writer-thread.md).
 */
public record PeerReservation(
        String linkId,
        String masterSae,
        List<String> slaveSaes,
        List<KeyComposition> keys,
        Instant expiresAt,
        long sequence) {
    public PeerReservation {
        slaveSaes = List.copyOf(slaveSaes);
        keys = List.copyOf(keys);
    }
}
