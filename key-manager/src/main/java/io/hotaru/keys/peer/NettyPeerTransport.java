package io.hotaru.keys.peer;

import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.PeerTransport;
import io.hotaru.keys.distill.protocol.codec.CodecException;
import io.hotaru.keys.peer.PeerTransportException.Code;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.handler.ssl.SslHandler;
import java.net.SocketAddress;
import java.security.Principal;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * A {@link PeerTransport} over one Netty connection: {@link #send} writes and waits for the write,
 * {@link #receive} blocks up to the configured timeout. Every failure is a {@link
 * PeerTransportException}; a receive timeout, a bad or oversized frame and an overflow all close
 * the connection, so a late message can never be taken for the next block's. Wrap it in an {@link
 * io.hotaru.keys.distill.auth.AuthenticatedTransport} for the sessions.
 */
public final class NettyPeerTransport implements PeerTransport, AutoCloseable {
    private final Channel channel;
    private final InboundMessages inbound;
    private final PeerConfig config;

    NettyPeerTransport(Channel channel, InboundMessages inbound, PeerConfig config) {
        this.channel = channel;
        this.inbound = inbound;
        this.config = config;
    }

    @Override
    public void send(DistillMessage message) {
        if (!channel.isActive()) {
            throw endedOr(new PeerTransportException(Code.CLOSED, "connection closed"));
        }
        ChannelFuture write = channel.writeAndFlush(message);
        try {
            if (!write.await(config.sendTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                channel.close();
                throw new PeerTransportException(Code.TIMEOUT, "send took over " + config.sendTimeout());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerTransportException(Code.INTERRUPTED, "interrupted while sending", e);
        }
        if (!write.isSuccess()) {
            Throwable cause = write.cause();
            for (Throwable c = cause; c != null; c = c.getCause()) {
                if (c instanceof CodecException codec) {
                    throw new PeerTransportException(Code.FRAME_TOO_LARGE, codec.getMessage(), codec);
                }
            }
            throw endedOr(new PeerTransportException(Code.SEND_FAILED, String.valueOf(cause), cause));
        }
    }

    @Override
    public DistillMessage receive() {
        Object next;
        try {
            next = inbound.queue().poll(config.receiveTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerTransportException(Code.INTERRUPTED, "interrupted while receiving", e);
        }
        if (next == null) {
            channel.close();
            throw new PeerTransportException(Code.TIMEOUT, "no message within " + config.receiveTimeout());
        }
        if (next instanceof DistillMessage message) {
            return message;
        }
        inbound.queue().offer(next); // the end marker stays for later calls
        throw endedOr(new PeerTransportException(Code.CLOSED, "connection closed by the peer"));
    }

    private PeerTransportException endedOr(PeerTransportException fallback) {
        PeerTransportException failure = inbound.failure();
        return failure != null ? new PeerTransportException(failure.code(), failure.getMessage(), failure) : fallback;
    }

    public boolean isOpen() {
        return channel.isActive();
    }

    public SocketAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** The peer's verified TLS identity, if the connection uses TLS. */
    public Optional<Principal> peerPrincipal() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(ssl.engine().getSession().getPeerPrincipal());
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(config.sendTimeout().toMillis());
    }

    @Override
    public String toString() {
        return "NettyPeerTransport[" + channel.localAddress() + " -> " + channel.remoteAddress() + "]";
    }
}
