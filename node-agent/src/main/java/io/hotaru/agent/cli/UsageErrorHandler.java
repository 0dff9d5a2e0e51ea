package io.hotaru.agent.cli;

import java.util.List;
import picocli.CommandLine;

/**
 * Usage errors (unknown command or option, malformed value) print one line that names the problem,
 * suggests close matches when there are any and points at the help, and exit with code 2.
 */
final class UsageErrorHandler implements CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        StringBuilder line =
                new StringBuilder("hotaru: ").append(ex.getMessage().strip());
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched) {
            List<String> suggestions = unmatched.getSuggestions();
            if (!suggestions.isEmpty()) {
                line.append(" (did you mean ")
                        .append(String.join(" or ", suggestions))
                        .append("?)");
            }
        }
        line.append("; see './").append(cmd.getCommandSpec().qualifiedName()).append(" --help'");
        var err = cmd.getErr();
        err.println(line.toString().replace('\n', ' '));
        err.flush();
        return ExitCodes.USAGE;
    }
}
