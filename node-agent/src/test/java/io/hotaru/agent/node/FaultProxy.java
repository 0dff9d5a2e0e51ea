package io.hotaru.agent.node;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on loopback that stands where a classical link would be cut or slowed: every
 * connection to {@link #port()} is relayed to the target, and the test can cut every open connection
 * at once ({@link #cut()}), refuse new ones for a while ({@link #refuse(boolean)}) or delay each
 * forwarded chunk ({@link #delayMillis(int)}). Counts the faults it injected.
 */
final class FaultProxy implements AutoCloseable {
    private final ServerSocket server;
    private final InetSocketAddress target;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger delayMillis = new AtomicInteger();
    private final AtomicLong faults = new AtomicLong();
    private final AtomicLong connections = new AtomicLong();
    private volatile boolean refusing;
    private volatile boolean closed;

    FaultProxy(int targetPort) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "fault-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** Closes every open connection in both directions: one link fault. */
    void cut() {
        faults.incrementAndGet();
        for (Socket s : open) {
            closeQuietly(s);
        }
        open.clear();
    }

    /** While set, new connections are accepted and closed at once. */
    void refuse(boolean refuse) {
        this.refusing = refuse;
    }

    /** Delays every forwarded chunk by this much; a change to a positive delay counts as a fault. */
    void delayMillis(int millis) {
        if (millis > 0 && delayMillis.getAndSet(millis) == 0) {
            faults.incrementAndGet();
        } else {
            delayMillis.set(millis);
        }
    }

    long faults() {
        return faults.get();
    }

    long connections() {
        return connections.get();
    }

    private void accept() {
        while (!closed) {
            try {
                Socket inbound = server.accept();
                if (refusing) {
                    closeQuietly(inbound);
                    continue;
                }
                Socket outbound = new Socket();
                try {
                    outbound.connect(target, 5_000);
                } catch (IOException unreachable) {
                    closeQuietly(inbound);
                    closeQuietly(outbound);
                    continue;
                }
                connections.incrementAndGet();
                inbound.setTcpNoDelay(true);
                outbound.setTcpNoDelay(true);
                open.add(inbound);
                open.add(outbound);
                pump(inbound, outbound);
                pump(outbound, inbound);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buffer = new byte[64 * 1024];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buffer)) > 0) {
                            int delay = delayMillis.get();
                            if (delay > 0) {
                                Thread.sleep(delay);
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException | InterruptedException ended) {
                        // the other pump or a cut closes both sockets
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        open.remove(from);
                        open.remove(to);
                    }
                },
                "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        cut();
    }
}
