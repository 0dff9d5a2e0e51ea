package io.hotaru.keys.store;

import java.util.List;
import java.util.UUID;

/**
 * Keys just reserved at the master's KME: their plaintext for the master SAE, and the announcement
 * for the slaves' KME. Close it to wipe the plaintext.
 */
public final class Reservation implements AutoCloseable {
    private final PeerReservation announcement;
    private final KeyBatch keys;
    private final long[] heads;

    /** @param heads the store rows heading each key, in key order (the store's shortcut to them) */
    Reservation(PeerReservation announcement, KeyBatch keys, long[] heads) {
        this.announcement = announcement;
        this.keys = keys;
        this.heads = heads.clone();
    }

    /** The store row heading key {@code k}. */
    long head(int k) {
        return heads[k];
    }

    /** What the KME of the remote slaves must record; {@code slaveSaes()} is empty if all are local. */
    public PeerReservation announcement() {
        return announcement;
    }

    /** The plaintext keys for the master SAE, in key order. */
    public KeyBatch keys() {
        return keys;
    }

    public List<UUID> keyIds() {
        return announcement.keys().stream().map(KeyComposition::keyId).toList();
    }

    @Override
    public void close() {
        keys.close();
    }

    @Override
    public String toString() {
        return "Reservation[" + announcement.linkId() + ", " + keys.size() + " keys]";
    }
}
