package io.hotaru.keys.store;

import java.util.List;

/** Plaintext keys released by the store, in request order; use with try-with-resources. */
public final class KeyBatch implements AutoCloseable {
    private final List<DeliveredKey> keys;

    KeyBatch(List<DeliveredKey> keys) {
        this.keys = List.copyOf(keys);
    }

    public List<DeliveredKey> keys() {
        return keys;
    }

    public int size() {
        return keys.size();
    }

    /** Zeroes every key of the batch. */
    @Override
    public void close() {
        keys.forEach(DeliveredKey::wipe);
    }

    @Override
    public String toString() {
        return "KeyBatch[" + keys.size() + " keys]";
    }
}
