package io.hotaru.keys.peer;

import io.hotaru.keys.net.NettyTransport;
import io.hotaru.keys.peer.PeerTransportException.Code;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Connects to peer key managers; one event loop thread for all its connections. */
public final class PeerClient implements AutoCloseable {
    private final PeerConfig config;
    private final SslContext tls;
    private final NettyTransport sockets = NettyTransport.get();
    private final EventLoopGroup group = sockets.group(1, "peer-client");

    public PeerClient(PeerConfig config) {
        this.config = config;
        this.tls = config.tls().map(PeerTls::clientContext).orElse(null);
    }

    /**
     * Connects to {@code host:port} and, with TLS, completes the handshake (the server's
     * certificate must match {@code host}).
     */
    public NettyPeerTransport connect(String host, int port) {
        AtomicReference<NettyPeerTransport> transport = new AtomicReference<>();
        AtomicReference<SslHandler> handshake = new AtomicReference<>();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(sockets.clientChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls == null ? null : tls.newHandler(ch.alloc(), host, port);
                        handshake.set(ssl);
                        transport.set(PeerPipeline.install(ch, config, ssl));
                    }
                });
        long timeout = config.connectTimeout().toMillis();
        ChannelFuture connect = bootstrap.connect(host, port);
        if (!connect.awaitUninterruptibly(timeout) || !connect.isSuccess()) {
            connect.channel().close();
            throw new PeerTransportException(
                    Code.CONNECT_FAILED, "cannot connect to " + host + ":" + port, connect.cause());
        }
        Channel channel = connect.channel();
        SslHandler ssl = handshake.get();
        if (ssl != null) {
            var done = ssl.handshakeFuture();
            if (!done.awaitUninterruptibly(timeout) || !done.isSuccess()) {
                channel.close();
                throw new PeerTransportException(
                        Code.TLS_FAILED, "TLS handshake with " + host + ":" + port + " failed", done.cause());
            }
        }
        return transport.get();
    }

    /** Closes the event loop and with it every connection made by this client. */
    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
