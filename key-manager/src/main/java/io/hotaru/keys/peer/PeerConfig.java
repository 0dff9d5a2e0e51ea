package io.hotaru.keys.peer;

import io.hotaru.keys.distill.protocol.codec.CodecLimits;
import java.time.Duration;
import java.util.Optional;

/**
 * Settings of the network channel between two key managers; validated here, defaults in {@link
 * #defaults()} only.
 *
 * @param limits frame and decoding limits; a larger frame closes the connection
 * @param receiveTimeout how long {@code receive} waits for the next message
 * @param sendTimeout how long {@code send} waits for the write to complete
 * @param connectTimeout how long connecting (and the TLS handshake) may take
 * @param maxQueuedMessages received messages held for the session; more closes the connection
 * @param tls mutual TLS, or empty for plain TCP (tests, or a link already inside a protected
 *     network; the Wegman–Carter tags are needed either way)
 */
public record PeerConfig(
        CodecLimits limits,
        Duration receiveTimeout,
        Duration sendTimeout,
        Duration connectTimeout,
        int maxQueuedMessages,
        Optional<PeerTls> tls) {
    public PeerConfig {
        for (Duration d : new Duration[] {receiveTimeout, sendTimeout, connectTimeout}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + d);
            }
        }
        if (maxQueuedMessages < 1) {
            throw new IllegalArgumentException("maxQueuedMessages must be positive: " + maxQueuedMessages);
        }
    }

    /** 16 MiB frames, 30 s to receive, 10 s to send or connect, 64 queued messages, no TLS. */
    public static PeerConfig defaults() {
        return new PeerConfig(
                CodecLimits.DEFAULT,
                Duration.ofSeconds(30),
                Duration.ofSeconds(10),
                Duration.ofSeconds(10),
                64,
                Optional.empty());
    }

    public PeerConfig withTls(PeerTls tls) {
        return new PeerConfig(limits, receiveTimeout, sendTimeout, connectTimeout, maxQueuedMessages, Optional.of(tls));
    }

    public PeerConfig withReceiveTimeout(Duration timeout) {
        return new PeerConfig(limits, timeout, sendTimeout, connectTimeout, maxQueuedMessages, tls);
    }

    public PeerConfig withLimits(CodecLimits newLimits) {
        return new PeerConfig(newLimits, receiveTimeout, sendTimeout, connectTimeout, maxQueuedMessages, tls);
    }
}
