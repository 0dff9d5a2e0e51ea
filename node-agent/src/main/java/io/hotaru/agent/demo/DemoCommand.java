package io.hotaru.agent.demo;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.DurationConverter;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.agent.topology.PassTimeScale;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyException;
import io.hotaru.agent.topology.TopologyLoader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./hotaru demo}: a whole simulated QKD network from a topology (by default the Tokyo-shaped
 * one), with an embedded MQTT broker, the live dashboard, a terminal view and optional attacks.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run a simulated QKD network (default: four Tokyo metro nodes in a mesh of fibre links,"
                + " two ground stations and a satellite), distil keys on every fibre link and on the satellite links"
                + " during their passes, serve them over"
                + " ETSI GS QKD 014 with mutual TLS, publish telemetry and alarms on an embedded MQTT broker"
                + " and show the network on a live dashboard.",
        sortOptions = false)
public final class DemoCommand implements Callable<Integer> {

    /** Detections per distillation block of the demo's links. */
    static final int BLOCK_DETECTIONS = 1 << 19;

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
            names = "--topology",
            paramLabel = "FILE",
            description = "Network to run, YAML (docs/topology.md); default: the built-in Tokyo-shaped network.")
    private Path topologyFile;

    @Option(
            names = "--time-scale",
            paramLabel = "N",
            description = "Simulated seconds per second for the satellite passes (default: the scale that puts the"
                    + " topology's first pass within the first minute).")
    private Double timeScale;

    @Option(
            names = "--seed",
            paramLabel = "N",
            description = "Seed of the simulated links (default: random, printed at start).")
    private Long seed;

    @Option(
            names = "--attack",
            paramLabel = "KIND@LINK[,at=TIME]",
            description = "Put an eavesdropper on a link (fibre or satellite), at once or TIME after the start;"
                    + " KIND is intercept-resend[:FRACTION], pns, blinding, trojan[:WATTS] or time-shift[:PS];"
                    + " repeatable. E.g. intercept-resend@kog-ote,at=20s.")
    private List<String> attacks = new ArrayList<>();

    @Option(
            names = "--port",
            defaultValue = "8080",
            paramLabel = "PORT",
            description = "Port of the dashboard on 127.0.0.1 (0: any free port; default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--etsi-port",
            defaultValue = "8443",
            paramLabel = "PORT",
            description = "ETSI GS QKD 014 port of the first node; each node uses PORT + its etsi_port_offset"
                    + " (0: any free ports; default: ${DEFAULT-VALUE}).")
    private int etsiPort;

    @Option(
            names = "--work-dir",
            paramLabel = "DIR",
            description = "Directory for certificates, key stores, master keys and the broker"
                    + " (default: a new temporary directory, printed at start).")
    private Path workDir;

    @Option(
            names = "--progress",
            converter = DurationConverter.class,
            defaultValue = "2s",
            paramLabel = "TIME",
            description = "Interval between two drawings of the terminal view (default: ${DEFAULT-VALUE}).")
    private Duration progressInterval;

    @Override
    public Integer call() {
        Topology topology = topology();
        List<AttackPlan> plans = new ArrayList<>();
        for (String a : attacks) {
            try {
                plans.add(AttackPlan.parse(a, topology));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--attack " + e.getMessage());
            }
        }
        validate();
        double passScale = timeScale != null ? timeScale : defaultPassScale(topology);
        PrintWriter out = spec.commandLine().getOut();
        Path dir = workDirectory();
        long linkSeed = seed != null ? seed : new java.security.SecureRandom().nextLong() >>> 1;
        DemoSettings settings = new DemoSettings(
                topology,
                dir,
                etsiPort,
                port,
                linkSeed,
                duration,
                progressInterval,
                passScale,
                1.0,
                BLOCK_DETECTIONS,
                plans,
                System.console() != null);
        new NetworkDemo(settings, out).run();
        return ExitCodes.OK;
    }

    private Topology topology() {
        try {
            return topologyFile == null ? TopologyLoader.loadDefault() : TopologyLoader.load(topologyFile);
        } catch (TopologyException e) {
            throw new ParameterException(spec.commandLine(), "--topology " + e.getMessage());
        }
    }

    private static double defaultPassScale(Topology topology) {
        return PassTimeScale.firstPass(topology, Duration.ofMinutes(1))
                .map(PassTimeScale.FirstPass::timeScale)
                .orElse(1L);
    }

    private void validate() {
        if (duration.isZero() || duration.isNegative()) {
            throw new ParameterException(spec.commandLine(), "--duration must be positive, got " + duration);
        }
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be in [0, 65535], got " + port);
        }
        if (etsiPort < 0 || etsiPort > 65_000) {
            throw new ParameterException(spec.commandLine(), "--etsi-port must be in [0, 65000], got " + etsiPort);
        }
        if (timeScale != null && !(timeScale > 0 && timeScale <= 1e6)) {
            throw new ParameterException(spec.commandLine(), "--time-scale must be in (0, 1e6], got " + timeScale);
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
