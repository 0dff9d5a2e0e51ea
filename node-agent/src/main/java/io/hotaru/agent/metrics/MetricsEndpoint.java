package io.hotaru.agent.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The node's Prometheus endpoint on a loopback port: {@code GET /metrics} (text exposition format
 * from a Micrometer {@link PrometheusMeterRegistry}) and {@code GET /health} (a small JSON body from
 * the node, 200 while the node runs). Anything else is 404, any other method 405.
 */
public final class MetricsEndpoint implements AutoCloseable {

    private final PrometheusMeterRegistry registry;
    private final HttpServer server;
    private final ExecutorService executor;

    private MetricsEndpoint(PrometheusMeterRegistry registry, HttpServer server, ExecutorService executor) {
        this.registry = registry;
        this.server = server;
        this.executor = executor;
    }

    /**
     * @param meters registers the node's meters on the registry
     * @param health the body of {@code /health}, JSON
     */
    public static MetricsEndpoint start(
            String bind, int port, Consumer<PrometheusMeterRegistry> meters, Supplier<String> health) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.accept(registry);
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bind, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for /metrics on " + bind + ":" + port, e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", exchange -> {
            try (exchange) {
                if (!exchange.getRequestMethod().equals("GET")) {
                    send(exchange, 405, "text/plain", "GET only\n");
                } else if (exchange.getRequestURI().getPath().equals("/metrics")) {
                    send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", registry.scrape());
                } else if (exchange.getRequestURI().getPath().equals("/health")) {
                    send(exchange, 200, "application/json", health.get());
                } else {
                    send(exchange, 404, "text/plain", "not found: /metrics or /health\n");
                }
            }
        });
        server.start();
        return new MetricsEndpoint(registry, server, executor);
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        registry.close();
    }
}
