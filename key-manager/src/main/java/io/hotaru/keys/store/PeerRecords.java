package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import io.hotaru.keys.store.KeyTable.Role;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The slave KME's side of a peer's reservation, on the store's writer thread: reserves the announced
 * units, composed as announced, for each slave SAE, all or nothing; first takes back the keys of
 * earlier announcements the master lost or released (docs/adr/0006-wal-fsync-off-the-store-writer-thread.md,
 * "Announcing early").
 */
final class PeerRecords {
    private static final Logger log = LoggerFactory.getLogger(PeerRecords.class);

    private final KeyTable table;

    PeerRecords(KeyTable table) {
        this.table = table;
    }

    /** Records {@code r}; throws, having changed nothing, unless every unit could be reserved. */
    void record(PeerReservation r) throws SQLException {
        long[][] rows = availableRows(r);
        if (rows == null) {
            takeBackStale(r);
            rows = availableRows(r);
            if (rows == null) {
                throw new KeyManagerException(
                        Code.KEY_NOT_AVAILABLE,
                        "link " + r.linkId() + ": the announced units are not all available here");
            }
        }
        long expiresAt = r.expiresAt().toEpochMilli();
        for (int k = 0; k < rows.length; k++) {
            KeyComposition key = r.keys().get(k);
            long head = rows[k][0];
            for (int p = 0; p < rows[k].length; p++) {
                table.setReserved(
                        rows[k][p],
                        head,
                        p,
                        p == 0 ? key.sizeBits() : 0,
                        r.masterSae(),
                        expiresAt,
                        p == 0 ? r.sequence() : 0);
            }
            for (String slave : r.slaveSaes()) {
                table.addPickup(head, slave, Role.SLAVE);
            }
        }
    }

    /** The rows of the announced units, key by key, or null as soon as one is not available. */
    private long[][] availableRows(PeerReservation r) throws SQLException {
        long[][] rows = new long[r.keys().size()][];
        for (int k = 0; k < rows.length; k++) {
            List<UUID> units = r.keys().get(k).units();
            rows[k] = new long[units.size()];
            for (int p = 0; p < units.size(); p++) {
                Optional<Long> seq = table.availableSeq(units.get(p), r.linkId());
                if (seq.isEmpty()) {
                    return null;
                }
                rows[k][p] = seq.get();
            }
        }
        return rows;
    }

    /**
     * Before a peer's reservation is recorded: every announced unit that is not available must be
     * part of a key an earlier announcement of the same peer reserved and no slave collected (the
     * master KME released or lost that reservation, or it would not announce the unit again); those
     * keys are freed. Refuses, changing nothing, when a unit is spent here ({@code UNITS_SPENT},
     * naming them, so that the master erases them too), when a unit has no row here and this store
     * has deleted the rows of spent units ({@code UNITS_UNKNOWN}, naming them with the time before
     * which it forgot: the master erases those it stored well before then), or when a unit is held
     * otherwise or not here yet ({@code KEY_NOT_AVAILABLE}).
     */
    private void takeBackStale(PeerReservation r) throws SQLException {
        Set<Long> stale = new LinkedHashSet<>();
        List<UUID> spent = new ArrayList<>();
        List<UUID> unknown = new ArrayList<>();
        boolean held = false;
        for (KeyComposition key : r.keys()) {
            for (UUID unit : key.units()) {
                if (table.availableSeq(unit, r.linkId()).isPresent()) {
                    continue;
                }
                Optional<KeyTable.PeerView> view = table.peerView(unit, r.linkId());
                if (view.isEmpty()) {
                    unknown.add(unit); // not ingested here (yet), or spent and its row deleted
                    continue;
                }
                KeyTable.PeerView v = view.get();
                switch (v.state()) {
                    case DELIVERED, ERASED -> spent.add(unit);
                    case RESERVED -> {
                        if (v.announced() > 0 && v.announced() < r.sequence()) {
                            stale.add(v.head());
                        } else {
                            held = true;
                        }
                    }
                    default -> held = true;
                }
            }
        }
        if (!spent.isEmpty()) {
            throw new KeyManagerException(
                    Code.UNITS_SPENT,
                    "link " + r.linkId() + ": " + spent.size()
                            + " announced units were already delivered or erased here",
                    spent);
        }
        long forgottenBefore = unknown.isEmpty() ? 0 : table.forgottenBefore();
        if (forgottenBefore > 0) {
            throw new KeyManagerException(
                    Code.UNITS_UNKNOWN,
                    "link " + r.linkId() + ": " + unknown.size()
                            + " announced units are not here, and units spent here before "
                            + Instant.ofEpochMilli(forgottenBefore) + " are forgotten",
                    unknown,
                    forgottenBefore);
        }
        if (held || !unknown.isEmpty()) {
            throw new KeyManagerException(
                    Code.KEY_NOT_AVAILABLE, "link " + r.linkId() + ": the announced units are not all available here");
        }
        for (long head : stale) {
            table.free(head);
        }
        if (!stale.isEmpty()) {
            log.info(
                    "Link {}: announcement {} took back {} keys an earlier announcement reserved and nobody collected",
                    r.linkId(),
                    r.sequence(),
                    stale.size());
        }
    }
}
