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

    public KeyManagerException(Code code, String message) {
        super(message);
        this.code = code;
        this.units = List.of();
    }

    /** An exception about these units of key (their IDs, never their material). */
    public KeyManagerException(Code code, String message, List<UUID> units) {
        super(message);
        this.code = code;
        this.units = List.copyOf(units);
    }

    public KeyManagerException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.units = List.of();
    }

    public Code code() {
        return code;
    }

    /** The units the exception is about ({@link Code#UNITS_SPENT}); empty for most. */
    public List<UUID> units() {
        return units;
    }
}
