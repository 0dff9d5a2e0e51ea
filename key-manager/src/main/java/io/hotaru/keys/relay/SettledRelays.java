package io.hotaru.keys.relay;

import java.security.SecureRandom;

/**
 * The outcomes of the relays settled most recently at a node, at most {@code capacity} of them;
 * the oldest settled is forgotten first. A node answers a late message about a relay it remembers
 * from here, and one about a relay it has forgotten as it would one it never saw (ADR 0009,
 * "Memory"): at the destination from its key store, at an intermediate node by passing the abort
 * on along the path. So what a node remembers bounds its memory, not what it answers.
 *
 * <p>Held in arrays allocated once (a ring of relay IDs in the order they settled, their outcomes,
 * and an open-addressing index into the ring), so remembering a relay allocates nothing. A map of
 * boxed entries made every relay leave objects that lived for as long as the node remembered them,
 * seconds under load, and each young collection copied them again (ADR 0009, "Collector pauses").
 */
final class SettledRelays {
    /** Outcomes a relay node remembers by default: about 2 MB of arrays (20 bytes each). */
    static final int DEFAULT_CAPACITY = 100_000;

    private final int capacity;
    /** Relay IDs in the order they settled, as a ring: {@code next} is where the next one goes. */
    private final long[] ids;
    /** Whether the relay at the same ring position committed (else it aborted). */
    private final boolean[] committed;
    /**
     * Ring position + 1 of each remembered relay, at its hashed slot or the next free one after it
     * (linear probing); 0 is a free slot. At most half full.
     */
    private final int[] index;

    private final int mask;
    /** Mixed into every hash, so that peers cannot pick relay IDs that collide here. */
    private final long seed;

    private int size;
    private int next;

    /** @param capacity at least 1 and at most 2^28 (the index is four ints per relay at most) */
    SettledRelays(int capacity) {
        this(capacity, new SecureRandom().nextLong());
    }

    /** With the hash seeded as given (tests: a failure then repeats). */
    SettledRelays(int capacity, long seed) {
        if (capacity < 1) {
            throw new IllegalArgumentException("a node remembers at least one settled relay, not " + capacity);
        }
        if (capacity > 1 << 28) {
            throw new IllegalArgumentException("a node remembers at most 2^28 settled relays, not " + capacity);
        }
        this.capacity = capacity;
        this.ids = new long[capacity];
        this.committed = new boolean[capacity];
        this.index = new int[Integer.highestOneBit(capacity) << 2];
        this.mask = index.length - 1;
        this.seed = seed;
    }

    /** Records a commit; false if the relay was already remembered as committed. */
    synchronized boolean commit(long relayId) {
        int at = find(relayId);
        if (at < 0) {
            add(relayId, true);
            return true;
        }
        boolean was = committed[at];
        committed[at] = true; // an abort remembered before gives way; the relay keeps its place
        return !was;
    }

    /**
     * Records an abort; false if the relay was already remembered as aborted. A relay remembered as
     * committed stays so: a commit is never undone.
     */
    synchronized boolean abort(long relayId) {
        if (find(relayId) >= 0) {
            return false;
        }
        add(relayId, false);
        return true;
    }

    synchronized boolean isCommitted(long relayId) {
        int at = find(relayId);
        return at >= 0 && committed[at];
    }

    synchronized boolean isAborted(long relayId) {
        int at = find(relayId);
        return at >= 0 && !committed[at];
    }

    /** Whether the relay is remembered as settled either way. */
    synchronized boolean isSettled(long relayId) {
        return find(relayId) >= 0;
    }

    synchronized int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }

    /** The ring position of the relay, or -1 if it is not remembered. */
    private int find(long relayId) {
        for (int slot = home(relayId); index[slot] != 0; slot = (slot + 1) & mask) {
            int at = index[slot] - 1;
            if (ids[at] == relayId) {
                return at;
            }
        }
        return -1;
    }

    /** Remembers a relay not remembered yet, forgetting the oldest if the ring is full. */
    private void add(long relayId, boolean commit) {
        int at = next;
        if (size == capacity) {
            unindex(ids[at], at);
        } else {
            size++;
        }
        ids[at] = relayId;
        committed[at] = commit;
        int slot = home(relayId);
        while (index[slot] != 0) {
            slot = (slot + 1) & mask;
        }
        index[slot] = at + 1;
        next = at + 1 == capacity ? 0 : at + 1;
    }

    /**
     * Frees the index slot of ring position {@code at} (holding {@code relayId}), moving back the
     * entries after it that could no longer be found past the gap (backward-shift deletion).
     */
    private void unindex(long relayId, int at) {
        int gap = home(relayId);
        while (index[gap] != at + 1) {
            gap = (gap + 1) & mask;
        }
        for (int slot = (gap + 1) & mask; index[slot] != 0; slot = (slot + 1) & mask) {
            int wanted = home(ids[index[slot] - 1]);
            // The entry may move into the gap unless its home lies cyclically in (gap, slot].
            boolean homeAfterGap = gap <= slot ? gap < wanted && wanted <= slot : gap < wanted || wanted <= slot;
            if (!homeAfterGap) {
                index[gap] = index[slot];
                gap = slot;
            }
        }
        index[gap] = 0;
    }

    private int home(long relayId) {
        long h = (relayId ^ seed) * 0x9E3779B97F4A7C15L;
        h ^= h >>> 32;
        h *= 0xD6E8FEB86659FD93L;
        h ^= h >>> 32;
        return (int) h & mask;
    }
}
