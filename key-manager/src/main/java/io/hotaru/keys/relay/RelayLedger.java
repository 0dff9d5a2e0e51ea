package io.hotaru.keys.relay;

import io.hotaru.keys.relay.RelayJournal.Kind;
import io.hotaru.keys.store.KeyIds;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.PadUnits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A node's relay state: the key store, the journal, and what the journal says (rebuilt from it at
 * start-up). Every change of the store is preceded by its intent in the journal and followed by
 * its result, so that after a crash each relay can still be rolled back or confirmed.
 */
final class RelayLedger {
    /** A hop this node sent (or meant to send): share {@code share} of the relay, to {@code path[hop]}. */
    record OutboundHop(List<String> path, int hop, int share, String linkId, List<UUID> units) {}

    /** A relay this node started: size, shares, routes. */
    record SourceRelay(int sizeBits, List<List<String>> paths) {}

    private final String self;
    private final KeyStore store;
    private final RelayJournal journal;
    private final Object[] locks = new Object[64];
    private final Set<Long> committed = ConcurrentHashMap.newKeySet();
    private final Set<Long> aborted = ConcurrentHashMap.newKeySet();
    private final Map<Long, List<OutboundHop>> outbound = new ConcurrentHashMap<>();
    private final Map<Long, SourceRelay> sources = new ConcurrentHashMap<>();
    private final Map<String, Set<UUID>> claims = new HashMap<>();

    RelayLedger(String self, KeyStore store, RelayJournal journal) {
        this.self = self;
        this.store = store;
        this.journal = journal;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        replay();
    }

    private void replay() {
        for (RelayJournal.Event e : journal.events()) {
            switch (e.kind()) {
                case BEGIN -> sources.put(e.relayId(), parseBegin(e.detail()));
                case INTENT -> {
                    if (e.detail().startsWith("OUT/")) {
                        outbound.computeIfAbsent(e.relayId(), r -> new CopyOnWriteArrayList<>())
                                .add(parseOut(e.detail(), e.link(), e.units()));
                    }
                }
                case VOID -> {
                    List<OutboundHop> hops = outbound.get(e.relayId());
                    if (hops != null) {
                        hops.removeIf(h -> h.units().equals(e.units()));
                    }
                }
                case COMMIT -> committed.add(e.relayId());
                case ABORT -> aborted.add(e.relayId());
                default -> {
                    // history only
                }
            }
        }
        sources.keySet().removeIf(r -> committed.contains(r) || aborted.contains(r));
    }

    String self() {
        return self;
    }

    KeyStore store() {
        return store;
    }

    RelayJournal journal() {
        return journal;
    }

    Object lockOf(long relayId) {
        return locks[(int) (relayId ^ (relayId >>> 32)) & (locks.length - 1)];
    }

    boolean isCommitted(long relayId) {
        return committed.contains(relayId);
    }

    /** Committed here, or (at a destination) the key is in the store although the journal missed it. */
    boolean isCommittedAtDestination(long relayId, String endToEndLink) {
        return committed.contains(relayId)
                || store.stateOf(KeyIds.derive(endToEndLink, relayId, 0)).isPresent();
    }

    boolean isAborted(long relayId) {
        return aborted.contains(relayId);
    }

    /** Records a commit learnt from downstream or at the source: the destination's store decides anyway. */
    void commit(long relayId) {
        if (committed.add(relayId)) {
            journal.appendLazily(Kind.COMMIT, relayId, "", List.of(), "");
        }
        sources.remove(relayId);
    }

    /** Records the destination's commit durably (with every line before it) before it is answered. */
    void commitAtDestination(long relayId) {
        committed.add(relayId);
        journal.append(Kind.COMMIT, relayId, "", List.of(), "");
    }

    void abort(long relayId) {
        if (aborted.add(relayId)) {
            journal.append(Kind.ABORT, relayId, "", List.of(), "");
        }
        sources.remove(relayId);
    }

    List<OutboundHop> outboundOf(long relayId) {
        return outbound.getOrDefault(relayId, List.of());
    }

    Map<Long, SourceRelay> openSources() {
        return Map.copyOf(sources);
    }

    void begin(long relayId, SourceRelay relay) {
        StringBuilder detail = new StringBuilder().append(relay.sizeBits());
        for (List<String> path : relay.paths()) {
            detail.append('/').append(String.join(",", path));
        }
        journal.append(Kind.BEGIN, relayId, "", List.of(), detail.toString());
        sources.put(relayId, relay);
    }

    /** Stores the end-to-end key (idempotent per relay) and records it. */
    List<UUID> storeKey(long relayId, String endToEndLink, byte[] key) {
        store.ingest(endToEndLink, relayId, key);
        List<UUID> ids = keyIds(endToEndLink, relayId, key.length * 8);
        journal.appendLazily(Kind.KEY, relayId, endToEndLink, ids, ""); // the store holds it durably
        return ids;
    }

    static List<UUID> keyIds(String endToEndLink, long relayId, int sizeBits) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < sizeBits / KeyStore.UNIT_BITS; i++) {
            ids.add(KeyIds.derive(endToEndLink, relayId, i));
        }
        return ids;
    }

    /**
     * Picks and takes {@code units} pad units of the link for an outbound hop, journalled before and
     * after; empty if the link has too few or they were taken by someone else meanwhile (then nothing
     * changed).
     */
    Optional<PadUnits> takeOutbound(long relayId, String linkId, int units, List<String> path, int hop, int share) {
        List<UUID> ids;
        synchronized (claims) {
            Set<UUID> claimed = claims.computeIfAbsent(linkId, l -> new HashSet<>());
            ids = store.availableUnitIds(linkId, units, claimed);
            if (ids.size() < units) {
                return Optional.empty();
            }
            claimed.addAll(ids);
        }
        try {
            String detail = "OUT/" + hop + "/" + share + "/" + String.join(",", path);
            journal.append(Kind.INTENT, relayId, linkId, ids, detail);
            outbound.computeIfAbsent(relayId, r -> new CopyOnWriteArrayList<>())
                    .add(new OutboundHop(path, hop, share, linkId, ids));
            try {
                PadUnits pad = store.takePad(linkId, ids);
                journal.appendLazily(Kind.PAD, relayId, linkId, ids, "OUT"); // the durable intent names them
                return Optional.of(pad);
            } catch (KeyManagerException e) {
                journal.appendLazily(Kind.VOID, relayId, linkId, ids, "");
                outbound.get(relayId).removeIf(h -> h.units().equals(ids));
                return Optional.empty();
            }
        } finally {
            synchronized (claims) {
                claims.get(linkId).removeAll(ids);
            }
        }
    }

    /** Takes the named units of an inbound hop; empty (nothing changed) unless all are available. */
    Optional<PadUnits> takeInbound(long relayId, String linkId, List<UUID> ids) {
        // Lazily: if a crash loses these lines, the sender's abort names the units and the burn is
        // journalled durably then.
        journal.appendLazily(Kind.INTENT, relayId, linkId, ids, "IN");
        try {
            PadUnits pad = store.takePad(linkId, ids);
            journal.appendLazily(Kind.PAD, relayId, linkId, ids, "IN");
            return Optional.of(pad);
        } catch (KeyManagerException e) {
            journal.appendLazily(Kind.VOID, relayId, linkId, ids, "");
            return Optional.empty();
        }
    }

    /** Burns whichever of the units this end still holds, and records it. */
    void burn(long relayId, String linkId, List<UUID> ids) {
        if (ids.isEmpty()) {
            return;
        }
        int burned = store.burn(linkId, ids);
        journal.append(Kind.BURN, relayId, linkId, ids, Integer.toString(burned));
    }

    /** Long-lived count of units not claimed by a relay in progress. */
    long availableForRelay(String linkId) {
        long claimed;
        synchronized (claims) {
            claimed = claims.getOrDefault(linkId, Set.of()).size();
        }
        return Math.max(0, store.availableCount(linkId) - claimed);
    }

    private static SourceRelay parseBegin(String detail) {
        String[] parts = detail.split("/");
        List<List<String>> paths = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            paths.add(Arrays.asList(parts[i].split(",")));
        }
        return new SourceRelay(Integer.parseInt(parts[0]), paths);
    }

    private static OutboundHop parseOut(String detail, String link, List<UUID> units) {
        String[] parts = detail.split("/");
        return new OutboundHop(
                Arrays.asList(parts[3].split(",")),
                Integer.parseInt(parts[1]),
                Integer.parseInt(parts[2]),
                link,
                units);
    }
}
