package io.hotaru.agent.mqtt;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback TCP relay in front of a broker. {@link #cut()} resets every relayed connection (no MQTT
 * DISCONNECT is sent, as when a node dies or its network fails) and refuses new ones until {@link
 * #restore()}.
 */
final class TcpProxy implements AutoCloseable {

    private final ServerSocket server;
    private final URI target;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private volatile boolean down;

    TcpProxy(URI target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        Thread t = new Thread(this::acceptLoop, "tcp-proxy");
        t.setDaemon(true);
        t.start();
    }

    URI uri() {
        return URI.create("tcp://127.0.0.1:" + server.getLocalPort());
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (down) {
                    reset(client);
                    continue;
                }
                Socket upstream = new Socket();
                try {
                    upstream.connect(new InetSocketAddress(target.getHost(), target.getPort()), 1_000);
                } catch (IOException e) {
                    reset(client);
                    continue;
                }
                sockets.add(client);
                sockets.add(upstream);
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                // closed
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[8192];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException e) {
                        // one side went away
                    } finally {
                        reset(from);
                        reset(to);
                    }
                },
                "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /** Resets every connection and refuses new ones. */
    void cut() {
        down = true;
        for (Socket s : sockets) {
            reset(s);
        }
        sockets.clear();
    }

    void restore() {
        down = false;
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        cut();
        server.close();
    }
}
