package io.hotaru.keys.store;

import java.util.List;
import java.util.UUID;

/**
 * The one unchecked exception of the key manager. Messages name files, ports, SAE IDs, link IDs
 * and counts, never key material.
 */
public final class KeyManagerException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that map errors to protocol answers. */
    public enum Code {
        /** A caller passed a value outside the contract (blank ID, wrong length, duplicates). */
        INVALID_ARGUMENT,
        /** A secret file is readable by group or others. */
        INSECURE_FILE,
        /** The database or a file could not be read or written. */
        STORAGE,
        /** A stored key failed its integrity check. */
        CORRUPT_KEY,
        /** Fewer keys available than requested; nothing was consumed. */
        KEYS_EXHAUSTED,
        /** Unknown key, not reserved for this caller, or already delivered (deliberately one code). */
        KEY_NOT_AVAILABLE,
        /** The peer KME did not confirm a reservation. */
        PEER_SYNC_FAILED,
        /**
         * The peer KME refused a reservation because it has already delivered or erased some of its
         * units ({@link KeyManagerException#units()}): they are spent at both ends.
         */
        UNITS_SPENT,
        /**
         * The peer KME refused a reservation because it has no row of some of its units ({@link
         * KeyManagerException#units()}), and it has deleted the rows of units it spent before
         * {@link KeyManagerException#forgottenBefore()}: a unit stored here well before that time is
         * one the peer spent or never had, and will never deliver.
         */
        UNITS_UNKNOWN,
        /** Certificates or keys could not be generated, written or loaded. */
        PKI,
        /** A TLS context could not be built. */
        TLS,
        /** A server could not listen on its address. */
        BIND_FAILED,
        /** Configuration is inconsistent. */
        CONFIG
    }

    private final Code code;
    private final List<UUID> units;
    private final long forgottenBefore;

    public KeyManagerException(Code code, String message) {
        this(code, message, List.of());
    }

    /** An exception about these units of key (their IDs, never their material). */
    public KeyManagerException(Code code, String message, List<UUID> units) {
        this(code, message, units, 0);
    }

    /** {@link Code#UNITS_UNKNOWN}: the units, and the time (epoch ms) before which the peer forgot spent units. */
    public KeyManagerException(Code code, String message, List<UUID> units, long forgottenBefore) {
        super(message);
        this.code = code;
        this.units = List.copyOf(units);
        this.forgottenBefore = forgottenBefore;
    }

    public KeyManagerException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.units = List.of();
        this.forgottenBefore = 0;
    }

    public Code code() {
        return code;
    }

    /** The units the exception is about ({@link Code#UNITS_SPENT}, {@link Code#UNITS_UNKNOWN}); empty for most. */
    public List<UUID> units() {
        return units;
    }

    /** {@link Code#UNITS_UNKNOWN}: the peer's forgotten-before time (epoch ms); 0 for other codes. */
    public long forgottenBefore() {
        return forgottenBefore;
    }
}
