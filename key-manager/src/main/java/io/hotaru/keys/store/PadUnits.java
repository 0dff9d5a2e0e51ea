package io.hotaru.keys.store;

import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Link-key units taken out of the store to serve as a one-time pad (a relay hop): their IDs and
 * their plaintext concatenated in ID order. The units are already erased in the store when this is
 * returned. Close it to zero the plaintext.
 */
public final class PadUnits implements AutoCloseable {
    private final List<UUID> unitIds;
    private final byte[] material;

    /** Units taken (erased) already, and their plaintext in the same order; {@code material} is kept, not copied. */
    public PadUnits(List<UUID> unitIds, byte[] material) {
        this.unitIds = List.copyOf(unitIds);
        this.material = material;
    }

    public List<UUID> unitIds() {
        return unitIds;
    }

    /** The pad itself, not a copy: read it, never keep the array. Zeroed by {@link #close()}. */
    public byte[] material() {
        return material;
    }

    @Override
    public void close() {
        Arrays.fill(material, (byte) 0);
    }

    @Override
    public String toString() {
        return "PadUnits[" + unitIds.size() + " units]";
    }
}
