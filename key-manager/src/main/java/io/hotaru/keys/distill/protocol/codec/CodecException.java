package io.hotaru.keys.distill.protocol.codec;

/**
 * A frame that the codec refuses: malformed or over a limit on decoding, over a limit on encoding.
 * The only exception {@link MessageCodec#decode} throws for any input. Carries no frame content
 * and no stack trace (it is an expected outcome of hostile input, and cheap to throw).
 */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Why the frame was refused. */
    public enum Code {
        /** The frame or a field ends early. */
        TRUNCATED,
        /** Bytes are left after the last field. */
        TRAILING_BYTES,
        /** The header's body length does not match the frame. */
        BAD_LENGTH,
        /** The version byte is not one this codec reads. */
        UNSUPPORTED_VERSION,
        /** The type byte names no message. */
        UNKNOWN_TYPE,
        /** A field's value is outside its range (negative count, enum code, boolean, packing). */
        OUT_OF_RANGE,
        /** A variable-length integer is not in its shortest form or overflows its type. */
        NON_CANONICAL,
        /** The frame, an array or the decoded size is over a {@link CodecLimits} limit. */
        TOO_LARGE
    }

    private final Code code;

    public CodecException(Code code, String detail) {
        super(code + ": " + detail, null, false, false);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
