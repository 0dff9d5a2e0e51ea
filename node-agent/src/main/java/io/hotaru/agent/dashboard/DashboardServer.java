package io.hotaru.agent.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the dashboard on loopback with the JDK's HTTP server: the page and its script and style
 * from the jar ({@code /dashboard/} on the classpath, nothing from a CDN), the state as JSON on
 * {@code /api/state} and its changes as server-sent events on {@code /api/events}.
 */
public final class DashboardServer implements AutoCloseable {

    /** Event streams served at once; more get 503. */
    static final int MAX_STREAMS = 16;

    /** Threads serving HTTP: the event streams plus eight for everything else. */
    static final int THREADS = MAX_STREAMS + 8;

    static final long HEARTBEAT_MS = 15_000;

    private static final Map<String, String[]> ASSETS = Map.of(
            "/", new String[] {"/dashboard/index.html", "text/html; charset=utf-8"},
            "/index.html", new String[] {"/dashboard/index.html", "text/html; charset=utf-8"},
            "/dashboard.js", new String[] {"/dashboard/dashboard.js", "text/javascript; charset=utf-8"},
            "/dashboard.css", new String[] {"/dashboard/dashboard.css", "text/css; charset=utf-8"});

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor;
    private final DashboardState state;
    private final AtomicInteger streams = new AtomicInteger();
    private volatile boolean running = true;

    private DashboardServer(HttpServer server, ExecutorService executor, DashboardState state) {
        this.server = server;
        this.executor = executor;
        this.state = state;
    }

    /**
     * Starts serving {@code state} on {@code 127.0.0.1:port} (0 picks a free port).
     *
     * @param portOption the option that sets the port, named when the port is taken
     * @throws DashboardException if the port is taken or cannot be bound
     */
    public static DashboardServer start(DashboardState state, int port, String portOption) {
        HttpServer server;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        try {
            server = HttpServer.create(address, 0);
        } catch (BindException e) {
            throw new DashboardException(
                    "dashboard port " + port + " on 127.0.0.1 is already in use; choose another with " + portOption
                            + " PORT (or 0 for any free port)",
                    e);
        } catch (IOException e) {
            throw new DashboardException("cannot serve the dashboard on 127.0.0.1:" + port + ": " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        // every open event stream holds a thread; the rest serve pages and state, and requests queue
        // (never rejected) while all are busy
        ThreadPoolExecutor executor =
                new ThreadPoolExecutor(THREADS, THREADS, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "dashboard-http-" + threads.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        executor.allowCoreThreadTimeOut(true);
        server.setExecutor(executor);
        DashboardServer d = new DashboardServer(server, executor, state);
        server.createContext("/", d::asset);
        server.createContext("/api/state", d::stateJson);
        server.createContext("/api/events", d::events);
        server.start();
        return d;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public URI uri() {
        return URI.create("http://127.0.0.1:" + port() + "/");
    }

    private void asset(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
                send(exchange, 405, "text/plain; charset=utf-8", "GET only\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            String[] asset = ASSETS.get(exchange.getRequestURI().getPath());
            if (asset == null) {
                send(exchange, 404, "text/plain; charset=utf-8", "not found\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            byte[] body;
            try (InputStream in = DashboardServer.class.getResourceAsStream(asset[0])) {
                if (in == null) {
                    throw new DashboardException("the jar lacks " + asset[0], null);
                }
                body = in.readAllBytes();
            }
            send(exchange, 200, asset[1], body);
        }
    }

    private void stateJson(HttpExchange exchange) throws IOException {
        try (exchange) {
            send(exchange, 200, "application/json", JSON.writeValueAsBytes(state.snapshot()));
        }
    }

    private void events(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (streams.incrementAndGet() > MAX_STREAMS) {
                send(
                        exchange,
                        503,
                        "text/plain; charset=utf-8",
                        "too many dashboards open\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
            exchange.getResponseHeaders().set("Cache-Control", "no-cache");
            exchange.sendResponseHeaders(200, 0);
            EventStreamClient client = new EventStreamClient();
            Runnable unsubscribe = state.subscribe(client);
            try (OutputStream out = exchange.getResponseBody()) {
                client.pump(out, HEARTBEAT_MS, () -> running);
            } catch (IOException e) {
                // the browser went away
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                unsubscribe.run();
            }
        } finally {
            streams.decrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(code, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** Stops serving; open event streams end within a fraction of a second. */
    @Override
    public void close() {
        running = false;
        server.stop(1);
        executor.shutdownNow();
    }
}
