package io.hotaru.agent.mqtt;

import com.hivemq.embedded.EmbeddedHiveMQ;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * HiveMQ Community Edition running inside the node's JVM: an MQTT 5 broker for a single machine or a
 * demo. It listens on loopback only, keeps sessions and retained messages in memory (a restart loses
 * them, like a broker that crashed), sends no anonymous usage statistics and loads no extensions.
 *
 * <p>Starting takes about a second, stopping about four.
 */
public final class EmbeddedBroker implements MqttBroker {

    private static final String HOST = "127.0.0.1";

    private final EmbeddedHiveMQ hivemq;
    private final int port;
    private boolean closed;

    private EmbeddedBroker(EmbeddedHiveMQ hivemq, int port) {
        this.hivemq = hivemq;
        this.port = port;
    }

    /**
     * Starts a broker on {@code 127.0.0.1:port}.
     *
     * @param workDir an empty or reused directory for HiveMQ's configuration, data and extensions
     *     folders (nothing durable is written there: persistence is in memory)
     * @param port the TCP port, or 0 to pick a free one
     * @throws MqttException if the broker does not start within 30 s
     */
    public static EmbeddedBroker start(Path workDir, int port) {
        int chosen = port == 0 ? freePort() : port;
        Path conf = workDir.resolve("conf");
        Path data = workDir.resolve("data");
        Path extensions = workDir.resolve("extensions");
        try {
            Files.createDirectories(conf);
            Files.createDirectories(data);
            Files.createDirectories(extensions);
            Files.writeString(conf.resolve("config.xml"), config(chosen), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare the embedded broker's folder " + workDir, e);
        }
        EmbeddedHiveMQ hivemq = EmbeddedHiveMQ.builder()
                .withConfigurationFolder(conf)
                .withDataFolder(data)
                .withExtensionsFolder(extensions)
                .withoutLoggingBootstrap()
                .build();
        try {
            hivemq.start().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            closeQuietly(hivemq);
            throw new MqttException("embedded MQTT broker did not start on " + HOST + ":" + chosen, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(hivemq);
            throw new MqttException("interrupted while starting the embedded MQTT broker", e);
        }
        return new EmbeddedBroker(hivemq, chosen);
    }

    static String config(int port) {
        return """
                <?xml version="1.0"?>
                <hivemq>
                    <listeners>
                        <tcp-listener>
                            <port>%d</port>
                            <bind-address>%s</bind-address>
                        </tcp-listener>
                    </listeners>
                    <persistence>
                        <mode>in-memory</mode>
                    </persistence>
                    <anonymous-usage-statistics>
                        <enabled>false</enabled>
                    </anonymous-usage-statistics>
                </hivemq>
                """.formatted(port, HOST);
    }

    public int port() {
        return port;
    }

    @Override
    public URI uri() {
        return URI.create("tcp://" + HOST + ":" + port);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            hivemq.stop().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new MqttException("embedded MQTT broker did not stop", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(hivemq);
        }
    }

    private static void closeQuietly(EmbeddedHiveMQ hivemq) {
        try {
            hivemq.close();
        } catch (ExecutionException e) {
            // already reported by start() or stop()
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A TCP port that was free on loopback a moment ago. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }
}
