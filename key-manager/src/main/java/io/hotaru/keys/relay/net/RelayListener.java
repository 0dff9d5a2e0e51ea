package io.hotaru.keys.relay.net;

import io.hotaru.keys.net.NettyTransport;
import io.hotaru.keys.peer.PeerTls;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Accepts relay connections from neighbour KMEs over mutual TLS ({@link PeerTls}: the client must
 * present a certificate of the network's CA). {@link #accept} hands out each connection whose
 * handshake completed, as a {@link NettyRelayWire} that names the peer's node (certificate CN).
 * All its connections run on one event loop, which the node's {@link RelayConnector} shares.
 */
public final class RelayListener implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final BlockingQueue<NettyRelayWire> accepted;

    private RelayListener(EventLoopGroup group, Channel serverChannel, BlockingQueue<NettyRelayWire> accepted) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.accepted = accepted;
    }

    /** Listens on {@code address} (port 0 picks a free port). */
    public static RelayListener bind(InetSocketAddress address, PeerTls tls) {
        SslContext context = tls.serverContext();
        NettyTransport transport = NettyTransport.get();
        EventLoopGroup group = transport.group(1, "relay-listener");
        BlockingQueue<NettyRelayWire> accepted = new LinkedBlockingQueue<>();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = context.newHandler(ch.alloc());
                        NettyRelayWire wire = NettyRelayWire.install(ch, ssl);
                        ssl.handshakeFuture().addListener(f -> {
                            if (f.isSuccess()) {
                                accepted.add(wire);
                            }
                        });
                    }
                });
        try {
            return new RelayListener(group, bootstrap.bind(address).sync().channel(), accepted);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("interrupted while binding " + address, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new IllegalStateException("cannot listen for relay connections on " + address + ": " + e, e);
        }
    }

    /** The listener's event loop (one thread), which a {@link RelayConnector} of the node may share. */
    EventLoopGroup eventLoop() {
        return group;
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The next connection that completed its TLS handshake, or empty after {@code timeout}. */
    public java.util.Optional<NettyRelayWire> accept(Duration timeout) throws InterruptedException {
        return java.util.Optional.ofNullable(accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
