package io.hotaru.keys.distill.cascade;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pass permutations of the most recent blocks, shared by the endpoints created from one
 * {@link CascadeReconciler}. A permutation is public (it follows from the block's public seed), so
 * when both ends run in one process, as in the benchmark and the tests, the shuffle is drawn once
 * instead of twice, as cascade-cpp's shuffle cache does. Thread-safe; holds no key material.
 *
 * <p>Bounded by blocks, not by permutations: it keeps every pass of the {@code blocks} most
 * recently used seeds and drops older blocks whole. A permutation costs 4–8 bytes per key bit, so
 * a bound in permutations (it was 2 × 127) held some 60 blocks' worth, over 300 MB for blocks of
 * 2²⁰ detections, and ran a node with a 256 MB heap out of memory.
 *
 * <p>Tables are handed on. An endpoint that keeps a permutation while it works {@linkplain
 * #acquire acquires} it and {@linkplain #release releases} it when it closes; once a dropped block's
 * permutation is no longer held, its tables go to the next block's permutations instead of being
 * left to the garbage collector. On a node distilling blocks of 2²⁰ detections those tables are
 * about 20 MB per block that would otherwise live through a young collection, be promoted, and
 * fill the old generation of a 256 MB heap every few blocks. Only {@link #MAX_SPARE_TABLES}
 * tables wait at a time; a table is taken only if it is long enough, and made 1/16 longer than
 * asked, so that the next block's slightly longer key still fits.
 */
final class PermutationCache {
    /** The most tables kept for later blocks: two per pass of a 4-pass block and the inverses. */
    static final int MAX_SPARE_TABLES = 8;

    private record Key(int pass, int length) {}

    private final int blocks;
    private final Map<Long, Map<Key, Permutation>> bySeed = new LinkedHashMap<>(4, 0.75f, true);
    /** Permutations acquired and not yet released, with how many times. */
    private final Map<Permutation, Integer> held = new IdentityHashMap<>();
    /** Permutations of dropped blocks still held: their tables are handed on at the last release. */
    private final Map<Permutation, Boolean> droppedWhileHeld = new IdentityHashMap<>();

    private final List<int[]> spare = new ArrayList<>();

    /** @param blocks how many blocks' (seeds') permutations to keep, at least 1 */
    PermutationCache(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("keep at least one block");
        }
        this.blocks = blocks;
    }

    /** The permutation, drawn if not cached, without holding it (to draw it ahead of use). */
    synchronized Permutation forPass(long seed, int pass, int length) {
        Map<Key, Permutation> block = bySeed.get(seed);
        if (block == null) {
            block = new HashMap<>();
            bySeed.put(seed, block);
            dropOldBlocks();
        }
        return block.computeIfAbsent(new Key(pass, length), k -> Permutation.forPass(seed, pass, length, this::table));
    }

    /**
     * The permutation, held until {@link #release}: its tables are not handed to another block
     * before then, even if its block is dropped.
     */
    synchronized Permutation acquire(long seed, int pass, int length) {
        Permutation p = forPass(seed, pass, length);
        held.merge(p, 1, Integer::sum);
        return p;
    }

    /** Ends one {@link #acquire} of {@code p}. */
    synchronized void release(Permutation p) {
        Integer count = held.get(p);
        if (count == null) {
            throw new IllegalStateException("released a permutation that is not held");
        }
        if (count > 1) {
            held.put(p, count - 1);
            return;
        }
        held.remove(p);
        if (droppedWhileHeld.remove(p) != null) {
            handOn(p);
        }
    }

    private void dropOldBlocks() {
        Iterator<Map<Key, Permutation>> eldest = bySeed.values().iterator();
        while (bySeed.size() > blocks) {
            for (Permutation p : eldest.next().values()) {
                if (held.containsKey(p)) {
                    droppedWhileHeld.put(p, Boolean.TRUE);
                } else {
                    handOn(p);
                }
            }
            eldest.remove();
        }
    }

    private void handOn(Permutation p) {
        for (int[] table : p.tables()) {
            if (spare.size() < MAX_SPARE_TABLES) {
                spare.add(table);
            }
        }
    }

    /** A table of at least {@code length} entries: a spare one if long enough, else a new one. */
    private synchronized int[] table(int length) {
        for (int i = spare.size() - 1; i >= 0; i--) {
            if (spare.get(i).length >= length) {
                return spare.remove(i);
            }
        }
        return new int[length + (length >>> 4)];
    }

    /** Blocks (seeds) held, for tests. */
    synchronized int blocksHeld() {
        return bySeed.size();
    }

    /** Tables waiting for a later block, for tests. */
    synchronized int spareTables() {
        return spare.size();
    }
}
