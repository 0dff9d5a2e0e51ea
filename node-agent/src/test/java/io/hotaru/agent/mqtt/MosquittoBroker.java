package io.hotaru.agent.mqtt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real Eclipse Mosquitto broker run as a foreground child process on a free loopback port
 * (anonymous, no persistence, like the embedded broker). {@link #available()} tells whether the
 * binary exists; tests skip with a reason when it does not.
 */
final class MosquittoBroker implements MqttBroker {

    private static final String[] CANDIDATES = {"/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto"
    };

    private final Path dir;
    private final int port;
    private Process process;

    private MosquittoBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** The mosquitto binary, or null if it is not installed. */
    static String binary() {
        for (String c : CANDIDATES) {
            if (Files.isExecutable(Path.of(c))) {
                return c;
            }
        }
        return null;
    }

    static boolean available() {
        return binary() != null;
    }

    static MosquittoBroker start(Path dir) {
        MosquittoBroker b = new MosquittoBroker(dir, EmbeddedBroker.freePort());
        b.startProcess();
        return b;
    }

    /** Starts (again) on the same port. */
    synchronized void startProcess() {
        try {
            Files.createDirectories(dir);
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(
                    conf,
                    "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n"
                            + "log_dest stderr\nlog_type error\nlog_type warning\n");
            process = new ProcessBuilder(binary(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start mosquitto", e);
        }
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < end) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                if (!process.isAlive()) {
                    break;
                }
                sleep(50);
            }
        }
        throw new IllegalStateException(
                "mosquitto did not listen on port " + port + "; see " + dir.resolve("mosquitto.log"));
    }

    /** Kills the broker at once (SIGKILL): clients see their connections drop. */
    synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
    }

    @Override
    public URI uri() {
        return URI.create("tcp://127.0.0.1:" + port);
    }

    @Override
    public void close() {
        kill();
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
