package io.hotaru.keys.store;

import java.util.UUID;

/**
 * Which of a link's units an end picks by itself, so that the two ends of a link never pick the
 * same unit at once: a relay pad sent (ADR 0009), or the keys of an ETSI 014 {@code enc_keys} whose
 * master SAE is at this end. Unit IDs are SHA-256 based, so the two halves are even.
 */
public enum UnitHalf {
    /** Units whose ID ends in a 0 bit (an even last hex digit). */
    EVEN,
    /** Units whose ID ends in a 1 bit. */
    ODD,
    /** Any unit, oldest first: for a link no other end picks from. */
    ANY;

    /**
     * The half the end {@code self} of the link to {@code peer} picks from: the end whose ID sorts
     * first takes the even half, the other end the odd one.
     *
     * @throws IllegalArgumentException if the two IDs are equal (a link has two distinct ends)
     */
    public static UnitHalf ofEnd(String self, String peer) {
        int order = self.compareTo(peer);
        if (order == 0) {
            throw new IllegalArgumentException("a link's two ends must differ, both are " + self);
        }
        return order < 0 ? EVEN : ODD;
    }

    /** The other end's half; {@link #ANY} for {@link #ANY}. */
    public UnitHalf other() {
        return switch (this) {
            case EVEN -> ODD;
            case ODD -> EVEN;
            case ANY -> ANY;
        };
    }

    /** The last bit of the unit IDs of this half. */
    int lastBit() {
        if (this == ANY) {
            throw new IllegalStateException("ANY is not a half");
        }
        return this == EVEN ? 0 : 1;
    }

    /** Whether a unit of this ID belongs to this half. */
    public boolean holds(UUID unitId) {
        return this == ANY || (unitId.getLeastSignificantBits() & 1) == lastBit();
    }
}
