package io.hotaru.agent.demo;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.DurationConverter;
import io.hotaru.agent.cli.ExitCodes;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./hotaru demo}: two simulated nodes distil keys and serve them over ETSI GS QKD 014. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run two simulated QKD nodes A and B on a fibre link, distil keys and serve them over"
                + " ETSI GS QKD 014 with mutual TLS.",
        sortOptions = false)
public final class DemoCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--duration",
            converter = DurationConverter.class,
            defaultValue = "60s",
            paramLabel = "TIME",
            description = "How long to run, e.g. 20s, 5m (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Directory for certificates, key stores and the master keys"
                    + " (default: a new temporary directory, printed at start).")
    private Path workDir;

    @Option(
            names = "--port",
            defaultValue = "8443",
            paramLabel = "PORT",
            description = "ETSI GS QKD 014 port of node A; node B uses PORT+1 (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--distance-km",
            defaultValue = "25",
            paramLabel = "KM",
            description = "Length of the simulated fibre between A and B in km (default: ${DEFAULT-VALUE}).")
    private double distanceKm;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of the simulated link (default: random, printed at start).")
    private Long seed;

    @Option(
            names = "--progress",
            converter = DurationConverter.class,
            defaultValue = "2s",
            paramLabel = "TIME",
            description = "Interval between progress lines (default: ${DEFAULT-VALUE}).")
    private Duration progressInterval;

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workDirectory();
        long linkSeed = seed != null ? seed : new java.security.SecureRandom().nextLong() >>> 1;
        DemoSettings settings = new DemoSettings(dir, port, distanceKm, linkSeed, duration, progressInterval);
        new DemoRun(settings, out).run();
        return ExitCodes.OK;
    }

    private void validate() {
        if (duration.isZero() || duration.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive, got " + duration);
        }
        if (port < 1 || port > 65534) {
            throw new ParameterException(spec.commandLine(), "--port must be in 1..65534, got " + port);
        }
        if (!(distanceKm >= 0 && distanceKm <= 300)) {
            throw new ParameterException(spec.commandLine(), "--distance-km must be in [0, 300], got " + distanceKm);
        }
        if (progressInterval.toMillis() < 100) {
            throw new ParameterException(spec.commandLine(), "--progress must be at least 100ms");
        }
    }

    private Path workDirectory() {
        try {
            if (workDir == null) {
                return Files.createTempDirectory("hotaru-demo-");
            }
            Files.createDirectories(workDir);
            if (!Files.isWritable(workDir)) {
                throw CliFailure.runtime("--work-dir " + workDir + " is not writable");
            }
            try (var entries = Files.list(workDir)) {
                if (entries.findAny().isPresent()) {
                    throw new ParameterException(
                            spec.commandLine(),
                            "--work-dir " + workDir + " is not empty; give a new or empty directory");
                }
            }
            return workDir.toAbsolutePath();
        } catch (IOException e) {
            throw CliFailure.runtime(
                    "cannot create the work directory " + (workDir == null ? "" : workDir) + ": " + e.getMessage());
        }
    }
}
