package io.hotaru.agent.cli;

import picocli.CommandLine;

/**
 * Usage errors (unknown command or option, malformed value) print one line naming the problem and
 * one line pointing at the help, and exit with code 2.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        var err = cmd.getErr();
        err.println("hotaru: " + ex.getMessage());
        CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
        err.println("Usage: " + cmd.getCommandSpec().qualifiedName() + " [OPTIONS]; see '" + "./"
                + cmd.getCommandSpec().qualifiedName() + " --help'");
        err.flush();
        return ExitCodes.USAGE;
    }
}
