package io.hotaru.keys.relay;

import io.hotaru.keys.relay.RelayJournal.Event;
import io.hotaru.keys.relay.RelayJournal.Kind;
import io.hotaru.keys.store.KeyState;
import io.hotaru.keys.store.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Checks the relay histories of a whole network against its key stores, after a test:
 *
 * <ol>
 *   <li>link-key conservation: every unit of every link is available at both ends or at neither,
 *       and every unit gone from an end is accounted for in that end's journal (a lease, a pad or a
 *       burn);
 *   <li>no link-key unit is used as a pad twice, nor by two relays, at either end, and both ends of
 *       a link used or burned each unit for the same relay; every unit padded at an end was leased
 *       there (erased, durably) first, and both ends leased it in the same lease; no unit leased to
 *       refill the channel's authentication pool is used as a pad;
 *   <li>agreement: every relay committed at its source is committed at its destination with the
 *       same key bytes (store digests) while both still hold it (a destination may have deleted the
 *       rows of a key it spent: {@link KeyStore#mayHaveForgottenRelayed}); every relay rolled back at
 *       the source left no key at either end; no relay is left unsettled.
 * </ol>
 *
 * Returns the list of violations (empty when all hold), so a test can print them all at once.
 */
final class RelayHistoryChecker {
    /**
     * A test's end: the checker over the whole network must find nothing, once no lease or refill
     * is under way (one could erase units between the checker's reads of a node's journal and of
     * its store); the network closes either way.
     */
    static void checkAndClose(RelayNetwork net) throws InterruptedException {
        checkAndClose(net, List.of());
    }

    /** As {@link #checkAndClose(RelayNetwork)}, where the checker must find exactly {@code expected}. */
    static void checkAndClose(RelayNetwork net, List<String> expected) throws InterruptedException {
        if (net == null) {
            return;
        }
        try {
            for (RelayNode node : net.nodes.values()) {
                node.awaitLeases();
            }
            org.assertj.core.api.Assertions.assertThat(check(net))
                    .as("history checker")
                    .containsExactlyInAnyOrderElementsOf(expected);
        } finally {
            net.close();
        }
    }

    /** The violation of a relay left in doubt at its source. */
    static String unsettled(long relayId, String source) {
        return "relay " + relayId + " from " + source + " is unsettled";
    }

    /** What the checker reads of a node's key store (the store itself, or a dump of it). */
    interface StoreView {
        Optional<KeyState> stateOf(UUID keyId);

        byte[] digest(List<UUID> keyIds);

        /** Whether the store may have deleted the rows of the relayed key, spent ({@link KeyStore#mayHaveForgottenRelayed}). */
        default boolean mayHaveForgottenRelayed(String endToEndLink, long keyBlock) {
            return false;
        }

        static StoreView of(KeyStore store) {
            return new StoreView() {
                @Override
                public boolean mayHaveForgottenRelayed(String endToEndLink, long keyBlock) {
                    return store.mayHaveForgottenRelayed(endToEndLink, keyBlock);
                }

                @Override
                public Optional<KeyState> stateOf(UUID keyId) {
                    return store.stateOf(keyId);
                }

                @Override
                public byte[] digest(List<UUID> keyIds) {
                    return store.digest(keyIds);
                }
            };
        }
    }

    private RelayHistoryChecker() {}

    static List<String> check(
            Map<String, KeyStore> stores, Map<String, List<Event>> journals, List<RelayNetwork.Link> links) {
        Map<String, StoreView> views = new HashMap<>();
        stores.forEach((node, store) -> views.put(node, StoreView.of(store)));
        return checkViews(views, journals, links);
    }

    static List<String> checkViews(
            Map<String, StoreView> stores, Map<String, List<Event>> journals, List<RelayNetwork.Link> links) {
        List<String> violations = new ArrayList<>();
        for (RelayNetwork.Link link : links) {
            checkLink(link, stores, journals, violations);
        }
        checkRelays(stores, journals, violations);
        return violations;
    }

    static List<String> check(RelayNetwork net) {
        Map<String, List<Event>> journals = new HashMap<>();
        net.journals.forEach((id, j) -> journals.put(id, j.events()));
        return check(net.stores, journals, List.copyOf(net.links.values()));
    }

    private static void checkLink(
            RelayNetwork.Link link,
            Map<String, StoreView> stores,
            Map<String, List<Event>> journals,
            List<String> violations) {
        Map<UUID, Long> leasedAtA = new HashMap<>();
        Map<UUID, Long> leasedAtB = new HashMap<>();
        Map<UUID, Long> usedAtA = padUse(link, journals.get(link.a()), violations, link.a(), leasedAtA);
        Map<UUID, Long> usedAtB = padUse(link, journals.get(link.b()), violations, link.b(), leasedAtB);
        StoreView a = stores.get(link.a());
        StoreView b = stores.get(link.b());
        for (UUID unit : link.units()) {
            // every unit was stored at both ends: one without a row was spent, and its row deleted since
            boolean availableAtA = a.stateOf(unit).orElse(KeyState.ERASED) == KeyState.AVAILABLE;
            boolean availableAtB = b.stateOf(unit).orElse(KeyState.ERASED) == KeyState.AVAILABLE;
            if (availableAtA != availableAtB) {
                violations.add("link " + link.linkId() + ": unit " + unit + " available at "
                        + (availableAtA ? link.a() : link.b()) + " only");
            }
            if (!availableAtA && !usedAtA.containsKey(unit) && !leasedAtA.containsKey(unit)) {
                violations.add("link " + link.linkId() + ": unit " + unit + " gone at " + link.a() + " unrecorded");
            }
            if (!availableAtB && !usedAtB.containsKey(unit) && !leasedAtB.containsKey(unit)) {
                violations.add("link " + link.linkId() + ": unit " + unit + " gone at " + link.b() + " unrecorded");
            }
            Long la = leasedAtA.get(unit);
            Long lb = leasedAtB.get(unit);
            if (la != null && lb != null && !la.equals(lb)) {
                violations.add("link " + link.linkId() + ": unit " + unit + " in lease " + la + " at " + link.a()
                        + " but lease " + lb + " at " + link.b());
            }
            Long ra = usedAtA.get(unit);
            Long rb = usedAtB.get(unit);
            if (ra != null && rb != null && !ra.equals(rb)) {
                violations.add("link " + link.linkId() + ": unit " + unit + " used for relay " + ra + " at " + link.a()
                        + " but relay " + rb + " at " + link.b());
            }
        }
    }

    /**
     * Unit → relay that took it as a pad or burned it, at one end, and (into {@code leased}) unit →
     * lease that erased it there; flags a unit padded twice, leased twice, or padded unleased.
     */
    private static Map<UUID, Long> padUse(
            RelayNetwork.Link link, List<Event> events, List<String> violations, String node, Map<UUID, Long> leased) {
        Map<UUID, Long> use = new HashMap<>();
        Map<UUID, Long> padded = new HashMap<>();
        java.util.Set<UUID> forAuthentication = new java.util.HashSet<>();
        for (Event e : events) {
            if (!e.link().equals(link.linkId())) {
                continue;
            }
            if (e.kind() == Kind.LEASE && e.detail().startsWith("AUTH-")) {
                forAuthentication.addAll(e.units()); // deposited into the channel's authentication pool
            }
            if (e.kind() == Kind.LEASE) {
                for (UUID u : e.units()) {
                    Long before = leased.putIfAbsent(u, e.relayId());
                    if (before != null && before != e.relayId()) {
                        violations.add("node " + node + ": unit " + u + " of " + link.linkId() + " in leases " + before
                                + " and " + e.relayId());
                    }
                }
            }
            if (e.kind() == Kind.PAD) {
                for (UUID u : e.units()) {
                    if (!leased.containsKey(u)) {
                        violations.add("node " + node + ": unit " + u + " of " + link.linkId() + " padded by relay "
                                + e.relayId() + " before any lease erased it");
                    }
                    if (forAuthentication.contains(u)) {
                        violations.add("node " + node + ": unit " + u + " of " + link.linkId() + " padded by relay "
                                + e.relayId() + " but leased to refill the authentication pool");
                    }
                }
            }
            if (e.kind() == Kind.PAD) {
                for (UUID u : e.units()) {
                    // The same relay may record its pad again: a destination that finds the key stored
                    // after a crash took its COMMIT line journals the pad the abort names, and the
                    // lazily written PAD line may have survived. Same relay, same pad, same key: one use.
                    Long before = padded.putIfAbsent(u, e.relayId());
                    if (before != null && before != e.relayId()) {
                        violations.add("node " + node + ": unit " + u + " of " + link.linkId()
                                + " used as pad by relays " + before + " and " + e.relayId());
                    }
                }
            }
            if (e.kind() == Kind.VOID) {
                e.units().forEach(u -> {
                    if (Long.valueOf(e.relayId()).equals(use.get(u)) && !padded.containsKey(u)) {
                        use.remove(u); // the intent was never carried out
                    }
                });
            }
            boolean outboundIntent = e.kind() == Kind.INTENT && e.detail().startsWith("OUT");
            if (e.kind() == Kind.PAD || e.kind() == Kind.BURN || outboundIntent) {
                for (UUID u : e.units()) {
                    Long before = use.putIfAbsent(u, e.relayId());
                    if (before != null && before != e.relayId()) {
                        violations.add("node " + node + ": unit " + u + " of " + link.linkId() + " used by relays "
                                + before + " and " + e.relayId());
                    }
                }
            }
        }
        return use;
    }

    private static void checkRelays(
            Map<String, StoreView> stores, Map<String, List<Event>> journals, List<String> violations) {
        Map<Long, String> sourceOf = new HashMap<>();
        Map<Long, List<String>> pathOf = new HashMap<>();
        Map<Long, RelayLedger.SourceRelay> begun = new HashMap<>();
        Map<String, Long> relayOfBlock = new HashMap<>(); // "link block" -> relay
        Map<String, Map<Long, Kind>> outcome = new HashMap<>();
        journals.forEach((node, events) -> {
            Map<Long, Kind> mine = new HashMap<>();
            for (Event e : events) {
                if (e.kind() == Kind.BEGIN) {
                    sourceOf.put(e.relayId(), node);
                    RelayLedger.SourceRelay relay = RelayLedger.parseBegin(e.detail());
                    begun.put(e.relayId(), relay);
                    pathOf.put(e.relayId(), relay.paths().get(0));
                    List<String> p = relay.paths().get(0);
                    String block = RelayNode.endToEndLink(node, p.get(p.size() - 1)) + " " + relay.keyBlock();
                    Long other = relayOfBlock.putIfAbsent(block, e.relayId());
                    if (other != null && other != e.relayId()) {
                        violations.add(
                                "relays " + other + " and " + e.relayId() + " both begun with key block " + block);
                    }
                }
                if (e.kind() == Kind.COMMIT || e.kind() == Kind.ABORT) {
                    Kind before = mine.put(e.relayId(), e.kind());
                    if (before != null && before != e.kind()) {
                        violations.add("node " + node + ": relay " + e.relayId() + " both committed and aborted");
                    }
                }
            }
            outcome.put(node, mine);
        });
        sourceOf.forEach((r, source) -> {
            List<String> path = pathOf.get(r);
            String destination = path.get(path.size() - 1);
            String endToEnd = RelayNode.endToEndLink(source, destination);
            RelayLedger.SourceRelay relay = begun.get(r);
            List<UUID> ids = RelayLedger.keyIds(endToEnd, relay.keyBlock(), r, relay.sizeBits());
            Kind atSource = outcome.get(source).get(r);
            Kind atDestination = outcome.get(destination).get(r);
            if (atSource == null) {
                violations.add(unsettled(r, source));
                return;
            }
            boolean keyAtDestination =
                    stores.get(destination).stateOf(ids.get(0)).isPresent();
            if (atSource == Kind.COMMIT) {
                if (!keyAtDestination && !stores.get(destination).mayHaveForgottenRelayed(endToEnd, relay.keyBlock())) {
                    violations.add("relay " + r + " committed at " + source + " but no key at " + destination);
                    return;
                }
                Optional<byte[]> a = digest(stores.get(source), ids);
                Optional<byte[]> b = digest(stores.get(destination), ids);
                if (a.isPresent() && b.isPresent() && !Arrays.equals(a.get(), b.get())) {
                    violations.add("relay " + r + ": the key differs between " + source + " and " + destination);
                }
            } else {
                if (keyAtDestination || atDestination == Kind.COMMIT) {
                    violations.add("relay " + r + " rolled back at " + source + " but committed at " + destination);
                }
                for (UUID id : ids) {
                    Optional<KeyState> s = stores.get(source).stateOf(id);
                    if (s.isPresent() && s.get() != KeyState.ERASED) {
                        violations.add("relay " + r + " rolled back but its key is " + s.get() + " at " + source);
                    }
                }
            }
        });
    }

    private static Optional<byte[]> digest(StoreView store, List<UUID> ids) {
        for (UUID id : ids) {
            Optional<KeyState> s = store.stateOf(id);
            if (s.isEmpty() || s.get() == KeyState.ERASED || s.get() == KeyState.DELIVERED) {
                return Optional.empty();
            }
        }
        return Optional.of(store.digest(ids));
    }
}
