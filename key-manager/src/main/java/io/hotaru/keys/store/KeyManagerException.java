package io.hotaru.keys.store;

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

    public KeyManagerException(Code code, String message) {
        super(message);
        this.code = code;
    }

    public KeyManagerException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
