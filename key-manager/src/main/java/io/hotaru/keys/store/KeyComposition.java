package io.hotaru.keys.store;

import io.hotaru.keys.store.KeyManagerException.Code;
import java.util.HashSet;
import java.util.List;
import java.util.UUID;

/**
 * How one delivered key is made of stored 256-bit units: the key is the first {@code sizeBits / 8}
 * bytes of its units concatenated in order; its ID is the ID of its first unit. The master's KME
 * picks the units and sends the composition to the slave's KME in the reservation, so both ends
 * build the same bytes (see docs/adr/0003-key-sizes-and-ids.md).
 */
public record KeyComposition(UUID keyId, int sizeBits, List<UUID> units) {
    public KeyComposition {
        units = List.copyOf(units);
        if (units.isEmpty() || !units.get(0).equals(keyId)) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "a key's ID must be the ID of its first unit");
        }
        if (sizeBits <= 0 || sizeBits % 8 != 0 || unitsFor(sizeBits) != units.size()) {
            throw new KeyManagerException(
                    Code.INVALID_ARGUMENT, sizeBits + " bits cannot be made of " + units.size() + " units");
        }
        if (new HashSet<>(units).size() != units.size()) {
            throw new KeyManagerException(Code.INVALID_ARGUMENT, "a key uses each unit once");
        }
    }

    /** Units of {@value KeyStore#UNIT_BITS} bits needed for a key of {@code sizeBits}. */
    public static int unitsFor(int sizeBits) {
        return (sizeBits + KeyStore.UNIT_BITS - 1) / KeyStore.UNIT_BITS;
    }
}
