package io.hotaru.agent.node;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.agent.config.ConfigException;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.config.NodeConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./hotaru node --config FILE}: run a node (the daemon). */
@Command(
        name = "node",
        mixinStandardHelpOptions = true,
        description = "Run a node: its links, key store and ETSI GS QKD 014 server, as configured.",
        sortOptions = false)
public final class NodeCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Node configuration (YAML).")
    private Path config;

    @Option(
            names = "--mqtt-broker",
            paramLabel = "URI",
            description = "Use this MQTT broker instead of the configured one, e.g. tcp://127.0.0.1:1883.")
    private String mqttBroker;

    @Option(names = "--check", description = "Validate the configuration and exit.")
    private boolean check;

    @Override
    public Integer call() {
        NodeConfig nodeConfig;
        try {
            nodeConfig = NodeConfigLoader.load(config);
        } catch (ConfigException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (check) {
            out.printf(
                    "%s: node %s, %d link(s), ETSI 014 on %s:%d: configuration is valid%n",
                    config,
                    nodeConfig.nodeId(),
                    nodeConfig.links().size(),
                    nodeConfig.etsi014().bind(),
                    nodeConfig.etsi014().port());
            out.flush();
            return ExitCodes.OK;
        }
        if (mqttBroker != null) {
            NodeConfigLoader.brokerProblem(mqttBroker).ifPresent(problem -> {
                throw new ParameterException(spec.commandLine(), "--mqtt-broker: " + problem);
            });
            nodeConfig = nodeConfig.withMqttBroker(mqttBroker);
        }
        NodeDaemon daemon;
        try {
            daemon = NodeDaemon.start(nodeConfig);
        } catch (RuntimeException e) {
            throw new CliFailure(
                    ExitCodes.RUNTIME, "node " + nodeConfig.nodeId() + " cannot start: " + e.getMessage(), e);
        }
        out.printf(
                "node %s running, ETSI GS QKD 014 on port %d; SIGTERM stops it%n",
                nodeConfig.nodeId(), daemon.etsi014Port());
        out.flush();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(daemon, out), "node-shutdown"));
        while (true) {
            try {
                Thread.sleep(Long.MAX_VALUE);
            } catch (InterruptedException e) {
                // only the shutdown hook ends this process
            }
        }
    }

    /**
     * The shutdown hook: stops the node cleanly, then ends the JVM with 0, since a SIGTERM is how an
     * operator (or systemd) stops a node, not a failure; the JVM would otherwise report 143. A
     * shutdown that fails exits 1.
     */
    private static void stop(NodeDaemon daemon, PrintWriter out) {
        int status = ExitCodes.OK;
        try {
            daemon.close();
            out.println("node stopped");
        } catch (RuntimeException e) {
            status = ExitCodes.RUNTIME;
            System.err.println("hotaru: node did not stop cleanly: " + e);
        }
        out.flush();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(status);
    }
}
