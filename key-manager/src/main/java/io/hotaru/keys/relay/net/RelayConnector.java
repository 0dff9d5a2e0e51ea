package io.hotaru.keys.relay.net;

import io.hotaru.keys.net.NettyTransport;
import io.hotaru.keys.peer.PeerTls;
import io.hotaru.keys.relay.RelayCallException;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Opens relay connections to neighbour KMEs over mutual TLS; one event loop for all of them: its
 * own, or the node's {@link RelayListener}'s, so that a relay passing through the node is received,
 * sent on and answered on one thread (ADR 0009, "Hops on the event loop").
 */
public final class RelayConnector implements AutoCloseable {
    private final SslContext tls;
    private final Duration timeout;
    private final NettyTransport transport = NettyTransport.get();
    private final EventLoopGroup group;
    private final boolean ownLoop;

    /** A connector with its own event loop. */
    public RelayConnector(PeerTls tls, Duration timeout) {
        this(tls, timeout, null);
    }

    /**
     * A connector on the event loop of {@code listener} (its own if null), which outlives it: closing
     * the connector leaves the loop and the connections to the listener's close.
     */
    public RelayConnector(PeerTls tls, Duration timeout, RelayListener listener) {
        this.tls = tls.clientContext();
        this.timeout = timeout;
        this.ownLoop = listener == null;
        this.group = ownLoop ? transport.group(1, "relay-connector") : listener.eventLoop();
    }

    /**
     * Connects to {@code host:port}, completes the handshake (the server's certificate must match
     * {@code host}) and checks that the server is {@code expectedPeer} (its certificate's CN).
     */
    public NettyRelayWire connect(String host, int port, String expectedPeer) {
        AtomicReference<NettyRelayWire> wire = new AtomicReference<>();
        AtomicReference<SslHandler> handshake = new AtomicReference<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(transport.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls.newHandler(ch.alloc(), host, port);
                        handshake.set(ssl);
                        wire.set(NettyRelayWire.install(ch, ssl));
                    }
                });
        ChannelFuture connect = bootstrap.connect(host, port);
        if (!connect.awaitUninterruptibly(timeout.toMillis()) || !connect.isSuccess()) {
            connect.channel().close();
            throw new RelayCallException("cannot connect to relay peer " + expectedPeer + " at " + host + ":" + port);
        }
        var done = handshake.get().handshakeFuture();
        if (!done.awaitUninterruptibly(timeout.toMillis()) || !done.isSuccess()) {
            connect.channel().close();
            throw new RelayCallException("TLS handshake with relay peer " + expectedPeer + " failed");
        }
        NettyRelayWire connected = wire.get();
        if (!connected.peerName().filter(expectedPeer::equals).isPresent()) {
            connected.close();
            throw new RelayCallException(host + ":" + port + " is not relay peer " + expectedPeer);
        }
        return connected;
    }

    @Override
    public void close() {
        if (ownLoop) {
            group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
        }
    }
}
