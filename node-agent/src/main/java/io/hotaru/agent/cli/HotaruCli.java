package io.hotaru.agent.cli;

import io.hotaru.agent.audit.AuditCommand;
import io.hotaru.agent.bench.BenchCommand;
import io.hotaru.agent.dashboard.DashboardCommand;
import io.hotaru.agent.demo.DemoCommand;
import io.hotaru.agent.devices.DevicesCommand;
import io.hotaru.agent.mqtt.StatusCommand;
import io.hotaru.agent.node.NodeCommand;
import io.hotaru.agent.orbit.PassesCommand;
import io.hotaru.agent.pki.PkiCommand;
import io.hotaru.agent.sim.KeyrateCommand;
import io.hotaru.agent.sim.SimulateCommand;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code ./hotaru} command line. */
@Command(
        name = "hotaru",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Hotaru: node software for quantum key distribution networks.",
        subcommands = {
            DemoCommand.class,
            NodeCommand.class,
            KeyrateCommand.class,
            SimulateCommand.class,
            PassesCommand.class,
            PkiCommand.class,
            DevicesCommand.class,
            StatusCommand.class,
            DashboardCommand.class,
            AuditCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        },
        commandListHeading = "%nCommands:%n",
        footer = {"", "Run './hotaru <command> --help' for the options of a command."})
public final class HotaruCli implements Runnable {

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs the CLI and returns its exit code: 0 ok, 1 runtime failure, 2 usage error. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new HotaruCli());
        cli.setParameterExceptionHandler(new UsageErrorHandler());
        cli.setExecutionExceptionHandler(new RuntimeErrorHandler());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
    }
}
