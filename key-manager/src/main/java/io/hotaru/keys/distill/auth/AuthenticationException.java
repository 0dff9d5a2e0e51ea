package io.hotaru.keys.distill.auth;

/**
 * The authenticated channel refused a message or cannot go on. Whatever the code, the {@link
 * AuthenticatedTransport} is closed afterwards; the sessions turn this into a block aborted with
 * {@link io.hotaru.keys.distill.protocol.AbortReason#AUTHENTICATION_FAILED}. Carries no key
 * material and no stack trace.
 */
public final class AuthenticationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why. */
    public enum Code {
        /** The tag does not match the message: tampered, truncated or forged. */
        TAG_MISMATCH,
        /** The sequence number is not the next one: replayed, reordered or dropped. */
        OUT_OF_SEQUENCE,
        /** A message arrived without the Wegman–Carter envelope. */
        NOT_AUTHENTICATED,
        /** An authentic envelope holds no valid message (or one for another block than it says). */
        MALFORMED,
        /** The peer refused one of our messages and closed its end. */
        PEER_REJECTED,
        /** The authentication key pool has no bits left for this direction. */
        KEY_EXHAUSTED,
        /** The peer's key positions are missing or would discard more key than allowed. */
        SYNC_REFUSED,
        /** The transport was closed before. */
        CLOSED
    }

    private final Code code;

    public AuthenticationException(Code code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
