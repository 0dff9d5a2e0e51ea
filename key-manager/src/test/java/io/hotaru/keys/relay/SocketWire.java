package io.hotaru.keys.relay;

import io.hotaru.keys.relay.codec.RelayCodec;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A {@link RelayWire} over a plain TCP socket with 4-byte length framing, for relay nodes in
 * separate test processes ({@link RelayCrashIT}): the Wegman–Carter layer above it is what those
 * tests exercise; {@code RelayOverTlsIT} covers the production wire with mutual TLS.
 */
final class SocketWire implements RelayWire {
    private final Socket socket;
    private final DataOutputStream out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private volatile Runnable onClosed = () -> {};

    SocketWire(Socket socket) throws IOException {
        this.socket = socket;
        socket.setTcpNoDelay(true);
        this.out = new DataOutputStream(new java.io.BufferedOutputStream(socket.getOutputStream()));
    }

    @Override
    public void start(Consumer<byte[]> onFrame, Runnable closedListener) {
        this.onClosed = closedListener;
        Thread reader = new Thread(
                () -> {
                    try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
                        while (true) {
                            int length = in.readInt();
                            if (length < 0 || length > RelayCodec.MAX_FRAME_BYTES + AUTH_HEADER_BYTES) {
                                break;
                            }
                            byte[] frame = new byte[length];
                            in.readFully(frame);
                            onFrame.accept(frame);
                        }
                    } catch (IOException | RuntimeException e) {
                        // the peer went away: the wire is closed
                    }
                    close();
                },
                "socket-wire");
        reader.setDaemon(true);
        reader.start();
    }

    @Override
    public void send(byte[] frame) {
        if (closed.get()) {
            throw new IllegalStateException("wire closed");
        }
        try {
            synchronized (out) {
                out.writeInt(frame.length);
                out.write(frame);
                out.flush();
            }
        } catch (IOException e) {
            close();
            throw new IllegalStateException("wire closed: " + e.getMessage(), e);
        }
    }

    /** Waits until the wire is closed (by either end or a failure). */
    void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
            closedLatch.countDown();
            onClosed.run();
        }
    }
}
