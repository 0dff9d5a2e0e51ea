package io.hotaru.keys.distill.cascade;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The pass permutations of the most recent blocks, shared by the endpoints created from one
 * {@link CascadeReconciler}. A permutation is public (it follows from the block's public seed), so
 * when both ends run in one process, as in the benchmark and the tests, the shuffle is drawn once
 * instead of twice, as cascade-cpp's shuffle cache does. Thread-safe; holds no key material.
 */
final class PermutationCache {
    private record Key(long seed, int pass, int length) {}

    private final Map<Key, Permutation> entries;

    PermutationCache(int capacity) {
        this.entries = new LinkedHashMap<>(2 * capacity, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Key, Permutation> eldest) {
                return size() > capacity;
            }
        };
    }

    synchronized Permutation forPass(long seed, int pass, int length) {
        return entries.computeIfAbsent(new Key(seed, pass, length), k -> Permutation.forPass(seed, pass, length));
    }
}
