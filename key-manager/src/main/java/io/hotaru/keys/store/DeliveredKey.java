package io.hotaru.keys.store;

import java.util.Arrays;
import java.util.UUID;

/** One plaintext key on its way to an SAE. Wiped by {@link KeyBatch#close()}. */
public final class DeliveredKey {
    private final UUID keyId;
    private final byte[] material;

    DeliveredKey(UUID keyId, byte[] material) {
        this.keyId = keyId;
        this.material = material;
    }

    public UUID keyId() {
        return keyId;
    }

    /**
     * The key bytes themselves, not a copy: read them, never keep the array. Zeroed when the batch
     * is closed.
     */
    public byte[] material() {
        return material;
    }

    void wipe() {
        Arrays.fill(material, (byte) 0);
    }

    @Override
    public String toString() {
        return "DeliveredKey[" + keyId + ", " + material.length + " bytes]";
    }
}
