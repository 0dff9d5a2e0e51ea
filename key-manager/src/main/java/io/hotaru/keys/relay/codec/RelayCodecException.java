package io.hotaru.keys.relay.codec;

/**
 * A relay frame the codec refuses: malformed or over a limit. The only exception {@link
 * RelayCodec#decode} throws for any input; carries no frame content and no stack trace (hostile
 * input is expected, and this is cheap to throw).
 */
public final class RelayCodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the frame was refused. */
    public enum Code {
        /** The frame or a field ends early. */
        TRUNCATED,
        /** Bytes are left after the last field. */
        TRAILING_BYTES,
        /** The version byte is not one this codec reads. */
        UNSUPPORTED_VERSION,
        /** The type byte names no message. */
        UNKNOWN_TYPE,
        /** A field is outside its range or inconsistent with another field. */
        OUT_OF_RANGE,
        /** The frame or a list is over its hard limit. */
        TOO_LARGE
    }

    private final Code code;

    public RelayCodecException(Code code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
