package io.hotaru.agent.cli;

import picocli.CommandLine;

/**
 * Expected runtime failures ({@link CliFailure}) print one line and exit with their code; anything
 * else is a bug and prints its stack trace so that it can be reported.
 */
final class RuntimeErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        var err = cmd.getErr();
        if (ex instanceof CliFailure failure) {
            err.println("hotaru: " + failure.getMessage());
            err.flush();
            return failure.exitCode();
        }
        err.println("hotaru: internal error (please report it with the trace below): " + ex);
        ex.printStackTrace(err);
        err.flush();
        return ExitCodes.RUNTIME;
    }
}
