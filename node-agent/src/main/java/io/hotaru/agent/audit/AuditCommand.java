package io.hotaru.agent.audit;

import io.hotaru.agent.cli.ExitCodes;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ./hotaru audit}: work with a node's hash-chained audit log. */
@Command(
        name = "audit",
        mixinStandardHelpOptions = true,
        description = "Check a node's hash-chained audit log.",
        subcommands = {AuditCommand.Verify.class})
public final class AuditCommand implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (verify)");
    }

    /** {@code ./hotaru audit verify FILE}. */
    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Verify an audit log's hash chain: any edited, removed, inserted or reordered record is"
                    + " reported with its line. Exit code 0 if intact, 1 if not.")
    static final class Verify implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "The audit log (JSON lines).")
        private Path file;

        @Option(
                names = "--expect-head",
                paramLabel = "HASH",
                description = "Hash the last record must have (as published by the node), so that records cut"
                        + " from the end are detected too.")
        private String expectHead;

        @Override
        public Integer call() {
            if (!Files.isRegularFile(file)) {
                throw new ParameterException(spec.commandLine(), "FILE " + file + ": no such file");
            }
            PrintWriter out = spec.commandLine().getOut();
            AuditVerifier.Result r = AuditVerifier.verify(file);
            if (!r.intact()) {
                out.printf("%s:%d: %s%n", file, r.problemLine(), r.problem());
                out.printf("audit log BROKEN: %d record(s) before line %d check out%n", r.records(), r.problemLine());
                out.flush();
                return ExitCodes.RUNTIME;
            }
            if (expectHead != null && !expectHead.equalsIgnoreCase(r.lastHash())) {
                out.printf(
                        "%s: the last record's hash is %s, not the expected %s; records were cut from the end"
                                + " or the chain was rewritten%n",
                        file, r.lastHash(), expectHead);
                out.flush();
                return ExitCodes.RUNTIME;
            }
            out.printf("audit log intact: %d record(s), head %s%n", r.records(), r.lastHash());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
