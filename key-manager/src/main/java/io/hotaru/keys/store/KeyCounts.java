package io.hotaru.keys.store;

/** Number of keys of one link in each state. */
public record KeyCounts(long available, long reserved, long delivered, long erased) {
    public long total() {
        return available + reserved + delivered + erased;
    }
}
