package io.hotaru.keys.peer;

/**
 * The network channel to the peer key manager failed. The distillation session lets it propagate
 * and the caller abandons the block at both ends (the peer sees the closed connection or times
 * out). Carries no frame content.
 */
public final class PeerTransportException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What failed. */
    public enum Code {
        /** No connection could be made. */
        CONNECT_FAILED,
        /** The TLS handshake failed (untrusted or missing certificate, protocol mismatch). */
        TLS_FAILED,
        /** No message arrived, or a send did not complete, within the configured time. */
        TIMEOUT,
        /** The connection is closed (by either end, or after an earlier failure). */
        CLOSED,
        /** A frame did not decode; the connection was closed. */
        MALFORMED_FRAME,
        /** A frame was over the size limit; the connection was closed. */
        FRAME_TOO_LARGE,
        /** The peer sent more messages than this end reads; the connection was closed. */
        OVERFLOW,
        /** Writing to the connection failed. */
        SEND_FAILED,
        /** The waiting thread was interrupted. */
        INTERRUPTED
    }

    private final Code code;

    public PeerTransportException(Code code, String detail) {
        super(code + ": " + detail);
        this.code = code;
    }

    public PeerTransportException(Code code, String detail, Throwable cause) {
        super(code + ": " + detail, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
