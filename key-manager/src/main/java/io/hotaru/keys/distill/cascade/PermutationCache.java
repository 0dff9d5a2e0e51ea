package io.hotaru.keys.distill.cascade;

import java.util.HashMap;
import java.util.LinkedHashMap;
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
 */
final class PermutationCache {
    private record Key(int pass, int length) {}

    private final Map<Long, Map<Key, Permutation>> blocks;

    /** @param blocks how many blocks' (seeds') permutations to keep, at least 1 */
    PermutationCache(int blocks) {
        if (blocks < 1) {
            throw new IllegalArgumentException("keep at least one block");
        }
        this.blocks = new LinkedHashMap<>(4, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Map<Key, Permutation>> eldest) {
                return size() > blocks;
            }
        };
    }

    synchronized Permutation forPass(long seed, int pass, int length) {
        return blocks.computeIfAbsent(seed, s -> new HashMap<>())
                .computeIfAbsent(new Key(pass, length), k -> Permutation.forPass(seed, pass, length));
    }

    /** Blocks (seeds) held, for tests. */
    synchronized int blocksHeld() {
        return blocks.size();
    }
}
