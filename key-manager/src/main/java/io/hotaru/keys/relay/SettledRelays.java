package io.hotaru.keys.relay;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcomes of the relays settled most recently at a node, at most {@code capacity} of them;
 * the oldest settled is forgotten first. A node answers a late message about a relay it remembers
 * from here, and one about a relay it has forgotten as it would one it never saw (ADR 0009,
 * "Memory"): at the destination from its key store, at an intermediate node by passing the abort
 * on along the path. So what a node remembers bounds its memory, not what it answers.
 */
final class SettledRelays {
    /** Outcomes a relay node remembers by default: 7.5 MB of heap (75 bytes each, measured). */
    static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    /** Relay ID to committed (true) or aborted (false), oldest settled first; guarded by this. */
    private final LinkedHashMap<Long, Boolean> outcomes;

    SettledRelays(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a node remembers at least one settled relay, not " + capacity);
        }
        this.capacity = capacity;
        this.outcomes = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > SettledRelays.this.capacity;
            }
        };
    }

    /** Records a commit; false if the relay was already remembered as committed. */
    synchronized boolean commit(long relayId) {
        return !Boolean.TRUE.equals(outcomes.put(relayId, Boolean.TRUE));
    }

    /**
     * Records an abort; false if the relay was already remembered as aborted. A relay remembered as
     * committed stays so: a commit is never undone.
     */
    synchronized boolean abort(long relayId) {
        Boolean before = outcomes.putIfAbsent(relayId, Boolean.FALSE);
        return before == null;
    }

    synchronized boolean isCommitted(long relayId) {
        return Boolean.TRUE.equals(outcomes.get(relayId));
    }

    synchronized boolean isAborted(long relayId) {
        return Boolean.FALSE.equals(outcomes.get(relayId));
    }

    /** Whether the relay is remembered as settled either way. */
    synchronized boolean isSettled(long relayId) {
        return outcomes.containsKey(relayId);
    }

    synchronized int size() {
        return outcomes.size();
    }

    int capacity() {
        return capacity;
    }
}
