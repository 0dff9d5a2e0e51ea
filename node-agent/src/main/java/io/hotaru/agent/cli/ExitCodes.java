package io.hotaru.agent.cli;

/** Process exit codes of the CLI. */
public final class ExitCodes {

    public static final int OK = 0;
    /** The command ran and failed (a busy port, a device error, ...). */
    public static final int RUNTIME = 1;
    /** The command line was wrong (unknown option, malformed value). */
    public static final int USAGE = 2;

    private ExitCodes() {}
}
