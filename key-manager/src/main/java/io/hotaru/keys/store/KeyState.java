package io.hotaru.keys.store;

/** Life cycle of a stored key; it only moves forward (a failed peer sync releases a reservation). */
public enum KeyState {
    /** Ingested, encrypted at rest, free to reserve. */
    AVAILABLE,
    /** Reserved for a (master, slave) pair; some recipient at this KME has not collected it yet. */
    RESERVED,
    /** Every recipient at this KME collected it; the ciphertext is gone. */
    DELIVERED,
    /** Destroyed without delivery (reservation expiry, alarm); the ciphertext is gone. */
    ERASED
}
