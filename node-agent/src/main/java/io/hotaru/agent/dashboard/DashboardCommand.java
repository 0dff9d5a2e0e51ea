package io.hotaru.agent.dashboard;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.DurationConverter;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.agent.mqtt.ExternalBroker;
import io.hotaru.agent.topology.PassTimeScale;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyException;
import io.hotaru.agent.topology.TopologyLoader;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./hotaru dashboard}: serves the live dashboard of a network whose nodes publish to a broker,
 * until interrupted or for {@code --duration}.
 */
@Command(
        name = "dashboard",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = "Serve the operator dashboard on localhost: network map, link QBER and key rates, satellite"
                + " passes, alarms and audit tail, live from the nodes' MQTT telemetry.")
public final class DashboardCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--broker", required = true, paramLabel = "URI", description = "Broker, e.g. tcp://127.0.0.1:1883.")
    private String broker;

    @Option(
            names = "--topology",
            paramLabel = "FILE",
            description = "Topology YAML (docs/topology.md); default: the built-in Tokyo-shaped network.")
    private Path topologyFile;

    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "8080",
            description = "Port on 127.0.0.1 (0: any free port; default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(
            names = "--time-scale",
            paramLabel = "N",
            description = "Simulated seconds per second, for the satellite passes (default: the scale that puts the"
                    + " topology's first pass within the first minute).")
    private Double timeScale;

    @Option(
            names = "--audit",
            paramLabel = "NODE=FILE",
            description = "A node's audit log to follow for the audit tail; repeatable.")
    private Map<String, Path> audit = new LinkedHashMap<>();

    @Option(
            names = "--duration",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Stop after this long (default: until interrupted).")
    private Duration duration;

    @Override
    public Integer call() throws Exception {
        URI uri;
        try {
            uri = ExternalBroker.parse(broker).uri();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--broker: " + e.getMessage());
        }
        if (port < 0 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "--port must be in [0, 65535], got " + port);
        }
        Topology topology;
        try {
            topology = topologyFile == null ? TopologyLoader.loadDefault() : TopologyLoader.load(topologyFile);
        } catch (TopologyException e) {
            throw new ParameterException(spec.commandLine(), "--topology " + e.getMessage());
        }
        double scale = timeScale != null ? timeScale : defaultScale(topology);
        if (!(scale > 0)) {
            throw new ParameterException(spec.commandLine(), "--time-scale must be positive, got " + scale);
        }
        DashboardState state = new DashboardState(
                topology, new RunClock(topology.start(), Instant.now(), scale), Duration.ofMinutes(10));
        PrintWriter out = spec.commandLine().getOut();
        DashboardServer server;
        try {
            server = DashboardServer.start(state, port, "--port");
        } catch (DashboardException e) {
            throw CliFailure.runtime(e.getMessage());
        }
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dashboard-audit");
            t.setDaemon(true);
            return t;
        });
        CountDownLatch stop = new CountDownLatch(1);
        Thread hook = new Thread(stop::countDown, "dashboard-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (server;
                DashboardFeed feed = DashboardFeed.start(uri, state)) {
            AuditTail tail = new AuditTail(audit);
            poller.scheduleWithFixedDelay(() -> tail.poll(state), 0, 1, TimeUnit.SECONDS);
            out.printf("dashboard of %s at %s (broker %s, time scale %s)%n", topology.name(), server.uri(), uri, scale);
            out.flush();
            if (duration == null) {
                stop.await();
            } else {
                stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            poller.shutdownNow();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
        return ExitCodes.OK;
    }

    private static double defaultScale(Topology topology) {
        return PassTimeScale.firstPass(topology, Duration.ofMinutes(1))
                .map(PassTimeScale.FirstPass::timeScale)
                .orElse(1L);
    }
}
