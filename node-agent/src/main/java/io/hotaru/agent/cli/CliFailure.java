package io.hotaru.agent.cli;

/**
 * An expected failure of a command, reported to the operator as one line (no stack trace) with an
 * exit code.
 */
public final class CliFailure extends RuntimeException {

    private final int exitCode;

    public CliFailure(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    /** A runtime failure (exit code 1). */
    public static CliFailure runtime(String message) {
        return new CliFailure(ExitCodes.RUNTIME, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
