package io.hotaru.agent.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One browser's server-sent event stream: events are queued as they happen (without blocking the
 * state's lock) and written by the client's own HTTP thread. A client too slow to keep up with
 * {@link #CAPACITY} events is cut off; its browser reconnects and starts again from a snapshot.
 */
final class EventStreamClient implements DashboardEvents {

    static final int CAPACITY = 10_000;
    /** Milliseconds the browser waits before reconnecting. */
    static final int RETRY_MS = 1_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final byte[] HEARTBEAT = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);

    private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>(CAPACITY);
    private volatile boolean overflowed;

    @Override
    public void event(String name, ObjectNode data) {
        if (!queue.offer(format(name, data))) {
            overflowed = true;
        }
    }

    /** The SSE frame of one event: {@code event: NAME}, one {@code data:} line of JSON, a blank line. */
    static byte[] format(String name, ObjectNode data) {
        try {
            return ("event: " + name + "\ndata: " + JSON.writeValueAsString(data) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    /**
     * Writes queued events to {@code out} until {@code running} turns false, the client falls behind
     * or the connection fails (an {@link IOException}); a comment every {@code heartbeatMs} keeps
     * proxies and the browser from timing the stream out.
     */
    void pump(OutputStream out, long heartbeatMs, BooleanSupplier running) throws IOException, InterruptedException {
        out.write(("retry: " + RETRY_MS + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
        long idleMs = 0;
        while (running.getAsBoolean() && !overflowed) {
            byte[] frame = queue.poll(200, TimeUnit.MILLISECONDS);
            if (frame == null) {
                idleMs += 200;
                if (idleMs >= heartbeatMs) {
                    out.write(HEARTBEAT);
                    out.flush();
                    idleMs = 0;
                }
                continue;
            }
            idleMs = 0;
            out.write(frame);
            for (byte[] more = queue.poll(); more != null; more = queue.poll()) {
                out.write(more);
            }
            out.flush();
        }
    }
}
