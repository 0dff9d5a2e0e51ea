package io.hotaru.keys.relay;

import java.util.function.Consumer;

/**
 * An ordered, reliable frame pipe to one neighbour KME (Netty with mutual TLS between processes,
 * {@link InMemoryWire} in one JVM). Frames arrive at the receiver in the order they were sent.
 */
public interface RelayWire extends AutoCloseable {
    /** Bytes the Wegman–Carter header (key and pad positions, tag) adds in front of each relay frame. */
    int AUTH_HEADER_BYTES = 24;

    /**
     * Starts delivery: every frame from the peer goes to {@code onFrame} in order, on one thread at
     * a time; {@code onClosed} runs once when the wire fails or closes.
     */
    void start(Consumer<byte[]> onFrame, Runnable onClosed);

    /** Queues a frame for the peer; fails if the wire is closed. */
    void send(byte[] frame);

    @Override
    void close();
}
