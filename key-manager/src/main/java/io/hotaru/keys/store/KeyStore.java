package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import io.hotaru.keys.store.KeyTable.Role;
import io.hotaru.keys.store.KeyTable.Unit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Durable store of one KME's keys: a SQLite file (WAL, secure_delete; see {@link StoreSchema})
 * holding each 256-bit unit of key encrypted under the {@link MasterKey}. Keys handed
 * to SAEs are composed of units ({@link KeyComposition}).
 *
 * <p>Every operation is all-or-nothing. Operations run on one writer thread that groups the
 * operations waiting at the moment into one SQLite transaction, each inside its own savepoint, and
 * commits them ({@link StoreWriter}); one fsync of the WAL then makes every batch committed so far
 * durable ({@link WalSync}). An operation returns only after its commit is durable, and a failing
 * operation rolls back alone. This class states the operations; {@link
 * KeyTable} holds their SQL.
 */
public final class KeyStore implements KeyPool, AutoCloseable {
    /** Size of a stored unit of key, and of the keys of a block: 256 bits. */
    public static final int UNIT_BITS = 256;
    /** Bytes of a stored unit. */
    public static final int KEY_BYTES = UNIT_BITS / 8;

    private static final Logger log = LoggerFactory.getLogger(KeyStore.class);
    private static final long SWEEP_MILLIS = 1_000;
    /**
     * Period of the background checkpoint: a page the load changes at every commit is copied once
     * per checkpoint, so a longer period copies fewer bytes per operation; the WAL stays bounded by
     * the writer's automatic checkpoint ({@link StoreSchema#WAL_AUTOCHECKPOINT_BYTES}).
     */
    private static final long CHECKPOINT_MILLIS = 200;

    private final Path dbFile;
    private final Connection connection;
    private final KeySealer sealer;
    private final StoreOptions options;
    private final Clock clock;
    private final KeyTable table;
    private final StoreWriter writer;
    private final WalCheckpointer checkpointer;
    private final PeerRecords peerRecords;
    private final SpentPurge purge;
    private volatile AnnouncementNumbers announcements;
    /** See {@link #forgottenBefore()}; written on the writer only. */
    private volatile long forgottenBefore;
    /** See {@link #mayHaveForgottenRelayed}: per end-to-end link, the marks of its two sides; written on the writer only. */
    private final Map<String, long[]> relayedForgotten = new ConcurrentHashMap<>();

    private final AtomicLong erasedOnArrival = new AtomicLong();
    private final BlockArrivals arrivals = new BlockArrivals();

    private KeyStore(Path dbFile, Connection connection, KeySealer sealer, StoreOptions options) {
        this.dbFile = dbFile;
        this.connection = connection;
        this.sealer = sealer;
        this.options = options;
        this.clock = options.clock();
        this.table = new KeyTable(connection, sealer, clock);
        this.peerRecords = new PeerRecords(table);
        String name = dbFile.getFileName().toString();
        WalSync walSync = new WalSync(name, dbFile.resolveSibling(name + "-wal"));
        this.writer = new StoreWriter(name, connection, walSync, SWEEP_MILLIS, this::sweep);
        this.checkpointer = new WalCheckpointer(name, dbFile, CHECKPOINT_MILLIS);
        this.purge = new SpentPurge(name, this, table, clock, options.spentRetention());
    }

    public static KeyStore open(Path dbFile, MasterKey masterKey) {
        return open(dbFile, masterKey, StoreOptions.defaults());
    }

    public static KeyStore open(Path dbFile, MasterKey masterKey, Clock clock) {
        return open(dbFile, masterKey, StoreOptions.defaults().withClock(clock));
    }

    /**
     * Opens (creating if needed, mode 0600) the store file. The master key may be closed afterwards;
     * the store keeps only keys derived from it.
     */
    public static KeyStore open(Path dbFile, MasterKey masterKey, StoreOptions options) {
        Connection connection = StoreSchema.open(dbFile);
        KeyStore store = null;
        try {
            store = new KeyStore(dbFile, connection, new KeySealer(masterKey), options);
            store.writer.start();
            // durable before the first announcement can leave
            store.announcements = new AnnouncementNumbers(store.writer.run(store.table::nextAnnouncementEpoch));
            store.forgottenBefore = store.writer.run(store.table::forgottenBefore);
            store.relayedForgotten.putAll(store.writer.run(store.table::relayedForgottenMarks));
            store.checkpointer.start();
            store.purge.start();
            log.info("Opened key store {}", dbFile);
            return store;
        } catch (RuntimeException e) {
            if (store != null) {
                store.writer.stop();
            }
            StoreSchema.closeQuietly(connection);
            throw e;
        }
    }

    /**
     * Splits a distilled block into 256-bit units and stores them encrypted; trailing bytes short of
     * a whole unit are dropped (identically on both ends). Idempotent per (link, block): a block seen
     * before is left as it is and 0 is returned. A block that would take the link over its capacity
     * is not stored (and not marked as seen), 0 is returned and {@link #linkStatus} reports the link
     * full. The caller keeps and wipes {@code keyMaterial}.
     *
     * <p>A unit burned here before its block arrived ({@link #burn}) is stored erased.
     *
     * @return the number of units stored by this call, those stored erased included
     */
    public int ingest(String linkId, long blockId, byte[] keyMaterial) {
        requireId(linkId, "linkId");
        if (keyMaterial == null) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "key material is null");
        }
        int count = keyMaterial.length / KEY_BYTES;
        long capacity = options.capacity(linkId);
        int stored = writer.run(() -> {
            if (table.blockSeen(linkId, blockId)) {
                log.debug("Block {} of link {} already ingested", blockId, linkId);
                return 0;
            }
            long[] units = table.held(linkId);
            long held = units[0] + units[1];
            if (held + count > capacity) {
                log.warn(
                        "Link {} is full ({} of {} units held): block {} of {} units not stored",
                        linkId,
                        held,
                        capacity,
                        blockId,
                        count);
                return 0;
            }
            int burned = table.insertBlock(linkId, blockId, keyMaterial, count, i -> KeyIds.derive(linkId, blockId, i));
            if (burned > 0) {
                erasedOnArrival.addAndGet(burned);
                log.info(
                        "Ingested block {} of link {}: {} units, {} of them erased (burned here before they arrived)",
                        blockId,
                        linkId,
                        count,
                        burned);
            } else {
                log.info("Ingested block {} of link {}: {} units", blockId, linkId, count);
            }
            return count;
        });
        if (stored > 0) {
            arrivals.arrived(linkId);
        }
        return stored;
    }

    /** How many distilled blocks of {@code linkId} this store has stored since it opened ({@link #awaitBlockAfter}). */
    public long blocksStored(String linkId) {
        return arrivals.count(linkId);
    }

    /**
     * Waits until a distilled block of {@code linkId} is stored after {@code seen} blocks of it
     * ({@link #blocksStored}, read before the caller last looked at the store), or {@code timeout}
     * passes.
     *
     * @return whether one was
     */
    public boolean awaitBlockAfter(String linkId, long seen, Duration timeout) throws InterruptedException {
        return arrivals.awaitAfter(linkId, seen, timeout);
    }

    /** How many threads wait in {@link #awaitBlockAfter} now: relay leases whose units are on their way. */
    public int waitingForBlocks() {
        return arrivals.waiting();
    }

    @Override
    public Reservation reserve(
            String linkId,
            int number,
            int sizeBits,
            String masterSae,
            List<String> localSlaves,
            List<String> remoteSlaves) {
        return writer.await(reserveAsync(linkId, number, sizeBits, masterSae, localSlaves, remoteSlaves));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Arguments are checked at once (an invalid one throws here); the future completes on the
     * store's own threads.
     */
    @Override
    public CompletableFuture<Reservation> reserveAsync(
            String linkId,
            int number,
            int sizeBits,
            String masterSae,
            List<String> localSlaves,
            List<String> remoteSlaves) {
        return reserveAsync(linkId, number, sizeBits, masterSae, localSlaves, remoteSlaves, UnitHalf.ANY, null);
    }

    /**
     * {@inheritDoc}
     *
     * <p>{@code announce} runs on the store's writer thread as soon as the reservation is made in the
     * open transaction, before it is committed or durable.
     */
    @Override
    public CompletableFuture<Reservation> reserveAsync(
            String linkId,
            int number,
            int sizeBits,
            String masterSae,
            List<String> localSlaves,
            List<String> remoteSlaves,
            UnitHalf half,
            Consumer<PeerReservation> announce) {
        Objects.requireNonNull(half, "half");
        requireId(linkId, "linkId");
        requireId(masterSae, "masterSae");
        List<String> everyone = new ArrayList<>(localSlaves);
        everyone.addAll(remoteSlaves);
        everyone.forEach(s -> requireId(s, "slaveSae"));
        if (number < 1) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "number must be at least 1, was " + number);
        }
        if (sizeBits < 8 || sizeBits % 8 != 0) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "size must be a positive multiple of 8 bits");
        }
        if (everyone.contains(masterSae) || new HashSet<>(everyone).size() != everyone.size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "slave SAEs must be distinct and differ from master");
        }
        int unitsPerKey = KeyComposition.unitsFor(sizeBits);
        long units = (long) number * unitsPerKey;
        return writer.runAsync(
                () -> {
                    List<Unit> picked = table.oldestAvailable(linkId, units, half);
                    if (picked.size() < units) {
                        throw new KeyManagerException(
                                Code.KEYS_EXHAUSTED,
                                "link " + linkId + " has " + picked.size() + " units available, " + units + " needed");
                    }
                    long expiresAt = clock.millis() + options.reservationTtl().toMillis();
                    List<KeyComposition> keys = new ArrayList<>(number);
                    List<DeliveredKey> material = new ArrayList<>(number);
                    long[] heads = new long[number];
                    try {
                        for (int k = 0; k < number; k++) {
                            List<Unit> parts = picked.subList(k * unitsPerKey, (k + 1) * unitsPerKey);
                            long head = parts.get(0).seq();
                            heads[k] = head;
                            for (int p = 0; p < unitsPerKey; p++) {
                                table.setReserved(
                                        parts.get(p).seq(), head, p, p == 0 ? sizeBits : 0, masterSae, expiresAt);
                            }
                            table.addPickup(head, masterSae, Role.MASTER);
                            for (String slave : localSlaves) {
                                table.addPickup(head, slave, Role.SLAVE);
                            }
                            List<UUID> ids = parts.stream().map(Unit::keyId).toList();
                            KeyComposition key = new KeyComposition(ids.get(0), sizeBits, ids);
                            keys.add(key);
                            // the units were read with their material: decrypt them without reading again
                            material.add(new DeliveredKey(key.keyId(), table.openUnits(parts, sizeBits)));
                        }
                    } catch (RuntimeException | SQLException e) {
                        material.forEach(DeliveredKey::wipe);
                        throw e;
                    }
                    PeerReservation announcement = new PeerReservation(
                            linkId,
                            masterSae,
                            remoteSlaves,
                            keys,
                            Instant.ofEpochMilli(expiresAt),
                            announcements.next());
                    return new Reservation(announcement, new KeyBatch(material), heads);
                },
                Reservation::close,
                announce == null ? null : reservation -> announce.accept(reservation.announcement()));
    }

    @Override
    public void confirmMasterDelivery(Reservation reservation) {
        PeerReservation r = reservation.announcement();
        List<UUID> ids = reservation.keyIds();
        writer.submit(() -> {
            for (int k = 0; k < ids.size(); k++) {
                table.removeMasterPickup(reservation.head(k), ids.get(k), r.masterSae());
            }
            return null;
        });
    }

    @Override
    public void release(Reservation reservation) {
        writer.await(releaseAsync(reservation));
    }

    @Override
    public CompletableFuture<Void> releaseAsync(Reservation reservation) {
        return releaseAsync(reservation, PeerRefusal.NONE);
    }

    /**
     * {@inheritDoc}
     *
     * <p>The units the peer named spent are erased here in the same commit, and so are those it has
     * no row of that this store stored more than {@link #FORGOTTEN_MARGIN} before the peer's
     * forgotten-before time (it spent them, or never had them and never will); the others become
     * available. Named units that are not part of the reservation are ignored.
     */
    @Override
    public CompletableFuture<Void> releaseAsync(Reservation reservation, PeerRefusal refusal) {
        PeerReservation r = reservation.announcement();
        Set<UUID> reserved = new HashSet<>();
        r.keys().forEach(k -> reserved.addAll(k.units()));
        List<UUID> spentUnits =
                refusal.spent().stream().filter(reserved::contains).distinct().toList();
        List<UUID> unknownUnits =
                refusal.unknown().stream().filter(reserved::contains).distinct().toList();
        long storedBefore = refusal.forgottenBefore() - FORGOTTEN_MARGIN.toMillis();
        return writer.runAsync(
                () -> {
                    List<UUID> forgotten = unknownUnits.isEmpty()
                            ? List.of()
                            : table.storedBefore(unknownUnits, r.linkId(), storedBefore);
                    for (KeyComposition key : r.keys()) {
                        long head = table.findHead(key.keyId(), r.masterSae(), r.masterSae(), Role.MASTER)
                                .orElseThrow(() -> new KeyManagerException(
                                        Code.KEY_NOT_AVAILABLE, "reservation of link " + r.linkId() + " is gone"));
                        table.free(head);
                    }
                    if (!spentUnits.isEmpty()) {
                        int erased = table.eraseAvailable(spentUnits, r.linkId());
                        log.warn(
                                "Link {}: erased {} units the peer KME had already delivered or erased",
                                r.linkId(),
                                erased);
                    }
                    if (!forgotten.isEmpty()) {
                        int erased = table.eraseAvailable(forgotten, r.linkId());
                        log.warn(
                                "Link {}: erased {} units stored here before {} that the peer KME has no row of"
                                        + " (it spent them and deleted their rows, or never had them)",
                                r.linkId(),
                                erased,
                                Instant.ofEpochMilli(storedBefore));
                    }
                    return null;
                },
                null);
    }

    /**
     * Slave side of a reservation made at the master's KME: reserves the units of every key, composed
     * as announced, for each slave SAE, until the announced expiry. All or nothing.
     *
     * @throws KeyManagerException {@code KEY_NOT_AVAILABLE} unless every unit exists on this link and
     *     is available
     */
    public void markReservedByPeer(PeerReservation r) {
        writer.await(markReservedByPeerAsync(r));
    }

    /**
     * As {@link #markReservedByPeer}, without waiting: the arguments are checked at once (an invalid
     * one throws here), and the future completes once the reservation is durable.
     */
    public CompletableFuture<Void> markReservedByPeerAsync(PeerReservation r) {
        requireId(r.linkId(), "linkId");
        requireId(r.masterSae(), "masterSae");
        if (r.slaveSaes().isEmpty() || r.keys().isEmpty()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "a peer reservation names slaves and keys");
        }
        r.slaveSaes().forEach(s -> requireId(s, "slaveSae"));
        if (r.slaveSaes().contains(r.masterSae())
                || new HashSet<>(r.slaveSaes()).size() != r.slaveSaes().size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "slave SAEs must be distinct and differ from master");
        }
        requireDistinct(r.keys().stream().flatMap(k -> k.units().stream()).toList());
        return writer.runAsync(
                () -> {
                    peerRecords.record(r);
                    return null;
                },
                null);
    }

    @Override
    public KeyBatch deliver(List<UUID> keyIds, String requesterSae, String masterSae) {
        return writer.await(deliverAsync(keyIds, requesterSae, masterSae));
    }

    @Override
    public CompletableFuture<KeyBatch> deliverAsync(List<UUID> keyIds, String requesterSae, String masterSae) {
        requireId(requesterSae, "requesterSae");
        requireId(masterSae, "masterSae");
        requireDistinct(keyIds);
        return writer.runAsync(
                () -> {
                    List<DeliveredKey> opened = new ArrayList<>(keyIds.size());
                    try {
                        for (UUID keyId : keyIds) {
                            KeyTable.OpenedKey key = table.openKeyFor(keyId, requesterSae, masterSae, Role.SLAVE)
                                    .orElseThrow(() -> new KeyManagerException(
                                            Code.KEY_NOT_AVAILABLE,
                                            "one or more keys are not available to " + requesterSae));
                            opened.add(new DeliveredKey(keyId, key.material()));
                            table.removePickup(key.head(), requesterSae, Role.SLAVE);
                        }
                        return new KeyBatch(opened);
                    } catch (RuntimeException | SQLException e) {
                        opened.forEach(DeliveredKey::wipe); // rolled back: nobody gets these
                        throw e;
                    }
                },
                KeyBatch::close);
    }

    /**
     * Erases every reservation past its expiry, at this end (the other end erases the same keys at
     * the same announced instant). Runs by itself about once a second; expired keys are refused
     * before that anyway.
     *
     * @return the number of units erased
     */
    public int eraseExpired() {
        return writer.run(this::sweep);
    }

    private int sweep() throws SQLException {
        int erased = table.eraseExpired();
        if (erased > 0) {
            log.info("Erased {} reserved units past their expiry", erased);
        }
        return erased;
    }

    /**
     * How far the peer KMEs' clocks may be apart, and a unit's storing at one end from its storing
     * at the other, for the master's reading of a peer's forgotten-before time ({@link
     * #releaseAsync(Reservation, PeerRefusal)}): half an hour.
     */
    public static final Duration FORGOTTEN_MARGIN = Duration.ofMinutes(30);

    /**
     * Deletes the rows of units spent (delivered or erased) longer ago than the retention ({@link
     * StoreOptions#spentRetention}), as the store does by itself every 24th of the retention (a minute
     * to an hour): one pass, in operations of {@value SpentPurge#ROWS_PER_OPERATION} rows.
     *
     * @return the rows deleted
     */
    public long purgeSpent() {
        return purge.pass();
    }

    /**
     * Units of distilled links stored erased since the store opened, because they were burned here
     * before their block arrived ({@link #burn}).
     */
    public long unitsErasedOnArrival() {
        return erasedOnArrival.get();
    }

    /** Rows of spent units deleted since the store opened ({@link #purgeSpent}). */
    public long spentRowsDeleted() {
        return purge.deletedTotal();
    }

    /** Bytes of the store's file and its WAL on disk now (what a purge keeps from growing). */
    public long fileBytes() {
        long bytes = 0;
        for (Path p : new Path[] {dbFile, dbFile.resolveSibling(dbFile.getFileName() + "-wal")}) {
            try {
                bytes += Files.size(p);
            } catch (IOException gone) {
                // no WAL between a checkpoint's truncation and the next write
            }
        }
        return bytes;
    }

    /**
     * The time (epoch ms, this store's clock) before which units spent here may have been deleted:
     * the cutoff of the latest purge pass, 0 if none ran. The slave's KME gives it with the announced
     * units it has no row of ({@link KeyManagerException.Code#UNITS_UNKNOWN}).
     */
    public long forgottenBefore() {
        return forgottenBefore;
    }

    /**
     * Whether this store may have held the relayed key of block {@code blockId} of the end-to-end
     * link and deleted its rows since it was spent: a purge deleted the rows of a block of that side
     * as high or higher. If so, and the store has no row of the key, it cannot tell whether it had
     * it. A relay's source numbers its blocks upwards, so this depends on no clock.
     */
    public boolean mayHaveForgottenRelayed(String linkId, long blockId) {
        long[] marks = relayedForgotten.get(linkId);
        return marks != null && blockId <= marks[(int) (blockId & 1)];
    }

    /** On the writer, before the pass deletes anything: {@link #forgottenBefore} rises to {@code millis}. */
    void forgottenBeforeRaised(long millis) {
        if (millis > forgottenBefore) {
            forgottenBefore = millis;
        }
    }

    /** On the writer, before the operation deletes the block's rows: a relayed forgotten mark rises. */
    void relayedMarkRaised(String linkId, int side, long block) {
        relayedForgotten.compute(linkId, (link, marks) -> {
            long[] next = marks == null ? new long[] {-1, -1} : marks.clone();
            next[side] = Math.max(next[side], block);
            return next;
        });
    }

    /** IDs of the link's units whose material this store still holds (available or reserved), sorted. */
    public List<UUID> heldKeyIds(String linkId) {
        return writer.run(() -> {
            List<UUID> ids = table.heldKeyIds(linkId);
            ids.sort(null);
            return ids;
        });
    }

    /**
     * SHA-256 over the IDs and material of the given held units, in the given order: two stores hold
     * the same keys exactly when their digests agree, and the digest reveals nothing usable about
     * the keys. Changes no state.
     *
     * @throws KeyManagerException if a unit is unknown or its material is no longer held
     */
    public byte[] digest(List<UUID> keyIds) {
        return writer.run(() -> {
            MessageDigest sha = sha256();
            for (UUID keyId : keyIds) {
                long seq = table.heldSeq(keyId)
                        .orElseThrow(() -> new KeyManagerException(
                                Code.KEY_NOT_AVAILABLE, "key " + keyId + " is not held by this store"));
                byte[] material = table.openUnit(seq, keyId);
                try {
                    sha.update(keyId.toString().getBytes(StandardCharsets.US_ASCII));
                    sha.update(material);
                } finally {
                    Arrays.fill(material, (byte) 0);
                }
            }
            return sha.digest();
        });
    }

    /** The state of one unit, if this store has it. */
    public Optional<KeyState> stateOf(UUID keyId) {
        return writer.run(() -> table.stateOf(keyId));
    }

    /** Group-commit figures of this store's writer since it was opened. */
    public WriterStats writerStats() {
        return writer.stats();
    }

    /** Background checkpoint figures of this store since it was opened. */
    public CheckpointStats checkpointStats() {
        return new CheckpointStats(
                checkpointer.checkpoints(), checkpointer.framesCopied(), checkpointer.checkpointNanos());
    }

    /** Units decrypted since the store was opened: a probe for tests that must prove no key was read. */
    public long unitsOpened() {
        return table.unitsOpened();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /**
     * Relay seam: takes the named units of the link as a one-time pad. In one durable commit every
     * unit goes from AVAILABLE to ERASED (ciphertext gone); their plaintext is returned in the given
     * order. All or nothing.
     *
     * @throws KeyManagerException {@code KEY_NOT_AVAILABLE} unless every unit is available on this
     *     link; nothing changes then
     */
    public PadUnits takePad(String linkId, List<UUID> unitIds) {
        requireId(linkId, "linkId");
        requireDistinct(unitIds);
        return writer.run(
                () -> {
                    byte[] pad = new byte[unitIds.size() * KEY_BYTES];
                    try {
                        for (int i = 0; i < unitIds.size(); i++) {
                            UUID id = unitIds.get(i);
                            long seq = table.availableSeq(id, linkId)
                                    .orElseThrow(() -> new KeyManagerException(
                                            Code.KEY_NOT_AVAILABLE,
                                            "link " + linkId + ": the named pad units are not all available here"));
                            byte[] unit = table.openUnit(seq, id);
                            System.arraycopy(unit, 0, pad, i * KEY_BYTES, KEY_BYTES);
                            Arrays.fill(unit, (byte) 0);
                            table.eraseUnit(seq);
                        }
                        return new PadUnits(unitIds, pad);
                    } catch (RuntimeException | SQLException e) {
                        Arrays.fill(pad, (byte) 0);
                        throw e;
                    }
                },
                PadUnits::close);
    }

    /**
     * Relay seam: burns the named units of the link that this store still holds (available or
     * reserved), in one durable commit, so that both ends of a rolled-back relay hop lose the same
     * units. A distilled link's unit this store has not stored yet is remembered and erased when its
     * block arrives (for up to the spent retention). Units already erased or delivered are skipped:
     * calling it again is harmless.
     *
     * @return the number of units burned by this call (not counting those remembered)
     */
    public int burn(String linkId, List<UUID> unitIds) {
        requireId(linkId, "linkId");
        return writer.run(() -> table.burn(linkId, unitIds));
    }

    /** Units of distilled links burned here before they arrived, remembered until their block comes. */
    long burnedAheadCount() {
        return writer.run(table::burnedAheadCount);
    }

    /**
     * The highest block id of {@code linkId} this store has stored units of, or -1 for none: a
     * distilled link's (a relayed key has no block row, so an end-to-end link has -1).
     */
    public long lastStoredBlock(String linkId) {
        requireId(linkId, "linkId");
        return writer.run(() -> BlockWithdrawal.lastStoredBlock(table, linkId));
    }

    /**
     * Takes back, in one durable commit, every block of {@code linkId} after {@code blockId}: blocks
     * that ended distilled at this end only, whose key the peer never stored (a link resuming after
     * a cut or a crash, {@code DistillMessage.LinkResume}). Their units are erased and the blocks
     * forgotten, unless one of the units is already reserved or delivered: then nothing changes
     * and the result says how many are in use (the caller must fail closed: such a key was handed
     * out at one end only).
     */
    public BlockWithdrawal.Result withdrawBlocksAfter(String linkId, long blockId) {
        requireId(linkId, "linkId");
        BlockWithdrawal.Result result = writer.run(() -> BlockWithdrawal.withdrawAfter(table, linkId, blockId));
        if (result.blocks() > 0) {
            log.warn(
                    "Link {}: {} block(s) after block {} withdrawn ({} units erased, {} in use)",
                    linkId,
                    result.blocks(),
                    blockId,
                    result.unitsErased(),
                    result.unitsInUse());
        }
        return result;
    }

    /** Units of the link that {@link #reserve} could pick; reads an index entry per unit held. */
    public long availableCount(String linkId) {
        return linkStatus(linkId).available();
    }

    /**
     * The link's units in every state (delivered and erased ones until their rows are deleted: {@link
     * #purgeSpent}). No index holds those by link, so this reads every row of the store: for tests
     * and diagnostics; {@link
     * #availableCount} and {@link #linkStatus} read the index of the units held.
     */
    public KeyCounts counts(String linkId) {
        return writer.run(() -> table.counts(linkId));
    }

    @Override
    public LinkStatus linkStatus(String linkId) {
        long[] held = writer.run(() -> table.held(linkId));
        return new LinkStatus(linkId, held[0], held[1], options.capacity(linkId));
    }

    private static void requireId(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, name + " must not be blank");
        }
    }

    private static void requireDistinct(List<UUID> keyIds) {
        if (keyIds.isEmpty() || new HashSet<>(keyIds).size() != keyIds.size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "key IDs must be a non-empty list without repeats");
        }
    }

    /** Finishes queued operations, checkpoints the WAL into the database file, closes it and wipes keys. */
    @Override
    public void close() {
        purge.stop();
        if (!writer.stop()) {
            return;
        }
        checkpointer.stop();
        table.closeStatements();
        try (Statement st = connection.createStatement()) {
            connection.commit();
            connection.setAutoCommit(true);
            st.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        } catch (SQLException e) {
            log.warn("WAL checkpoint failed on key store {}: {}", dbFile, e.getMessage());
        }
        StoreSchema.closeQuietly(connection);
        sealer.wipe();
        log.info("Closed key store {}", dbFile);
    }

    /**
     * Runs {@code work} on the writer thread in the next batch, as every operation of this class
     * does; returns once its commit is durable. For the other tables of the store file ({@link
     * AuthKeyStore}), which use {@link #connection()} and {@link #sealer()} on that thread only.
     */
    <T> T runOnWriter(StoreWriter.Work<T> work) {
        return writer.run(work);
    }

    /** As {@link #runOnWriter(StoreWriter.Work)}; {@code discard} wipes a result the writer drops (a failed commit). */
    <T> T runOnWriter(StoreWriter.Work<T> work, Consumer<T> discard) {
        return writer.run(work, discard);
    }

    Connection connection() {
        return connection;
    }

    KeySealer sealer() {
        return sealer;
    }

    KeyTable table() {
        return table;
    }

    StoreWriter writer() {
        return writer;
    }

    /** The asynchronous operations return at once and complete on the store's writer and sync threads. */
    @Override
    public boolean completesAsynchronously() {
        return true;
    }

    /** Units the link may hold, available or reserved (see {@link #ingest}). */
    long capacity(String linkId) {
        return options.capacity(linkId);
    }

    Path file() {
        return dbFile;
    }

    @Override
    public String toString() {
        return "KeyStore[" + dbFile + "]";
    }
}
