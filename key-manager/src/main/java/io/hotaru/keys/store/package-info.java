/**
 * Durable key store of one KME.
 *
 * <p>{@link io.hotaru.keys.store.KeyStore} keeps 256-bit keys in a SQLite file, AES-256-GCM
 * encrypted under a {@link io.hotaru.keys.store.MasterKey}. A distilled block is ingested once per
 * (link, block); its keys get IDs from {@link io.hotaru.keys.store.KeyIds}, the same on both ends.
 *
 * <p>Life of a key for a master SAE A behind KME 1 and a slave SAE B behind KME 2:
 *
 * <pre>
 * KME 1: reserve(link, n, A, [])          AVAILABLE -> RESERVED (A to collect)
 *        PeerReservations.reserved(...)   KME 2: markReservedByPeer: AVAILABLE -> RESERVED (B to collect)
 *        deliverToMaster(ids, A)          RESERVED -> DELIVERED, ciphertext erased; keys to A
 * KME 2: deliver(ids, B, A)               RESERVED -> DELIVERED, ciphertext erased; keys to B, once
 * </pre>
 *
 * <p>KME 1 announces the reservation as soon as it has run, before it is durable, and answers A once
 * both ends hold it durably; announcements are numbered ({@link
 * io.hotaru.keys.store.PeerReservation#sequence}) so that KME 2 can take back units of a reservation
 * KME 1 lost (docs/adr/0006-wal-fsync-off-the-store-writer-thread.md, "Announcing early").
 *
 * <p>When B sits behind KME 1 as well, {@code reserve(link, n, A, [B])} and B collects from the
 * same store. Plaintext leaves only in a {@link io.hotaru.keys.store.KeyBatch}, zeroed on close.
 */
package io.hotaru.keys.store;
