package io.hotaru.keys.distill;

/**
 * A programming or input error in the distillation code. Expected protocol aborts (QBER too high,
 * verification failed) are {@link BlockOutcome.Aborted} values, never this exception. Messages
 * never carry key material.
 */
public final class DistillException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, for callers that branch on it. */
    public enum Code {
        INVALID_INPUT,
        PROTOCOL_VIOLATION,
        TRANSPORT_FAILED
    }

    private final Code code;

    public DistillException(Code code, String message) {
        super(code + ": " + message);
        this.code = code;
    }

    public DistillException(Code code, String message, Throwable cause) {
        super(code + ": " + message, cause);
        this.code = code;
    }

    public Code code() {
        return code;
    }
}
