package io.hotaru.keys.peer;

import io.hotaru.keys.net.NettyTransport;
import io.hotaru.keys.peer.PeerTransportException.Code;
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
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Listens for peer key managers. Each connection that completes its TLS handshake (mutual, when
 * configured) becomes a {@link NettyPeerTransport} handed out by {@link #accept}.
 */
public final class PeerServer implements AutoCloseable {
    private final EventLoopGroup group;
    private final Channel serverChannel;
    private final BlockingQueue<NettyPeerTransport> accepted;
    private final List<NettyPeerTransport> all;

    private PeerServer(
            EventLoopGroup group,
            Channel serverChannel,
            BlockingQueue<NettyPeerTransport> accepted,
            List<NettyPeerTransport> all) {
        this.group = group;
        this.serverChannel = serverChannel;
        this.accepted = accepted;
        this.all = all;
    }

    /** Binds {@code address} (port 0 picks a free port). */
    public static PeerServer bind(InetSocketAddress address, PeerConfig config) {
        SslContext tls = config.tls().map(PeerTls::serverContext).orElse(null);
        NettyTransport transport = NettyTransport.get();
        EventLoopGroup group = transport.group(1, "peer-server");
        BlockingQueue<NettyPeerTransport> accepted = new LinkedBlockingQueue<>();
        List<NettyPeerTransport> all = new CopyOnWriteArrayList<>();
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(transport.serverChannel())
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = tls == null ? null : tls.newHandler(ch.alloc());
                        NettyPeerTransport transport = PeerPipeline.install(ch, config, ssl);
                        all.add(transport);
                        if (ssl == null) {
                            accepted.add(transport);
                        } else {
                            ssl.handshakeFuture().addListener(f -> {
                                if (f.isSuccess()) {
                                    accepted.add(transport);
                                }
                            });
                        }
                    }
                });
        try {
            Channel channel = bootstrap.bind(address).sync().channel();
            return new PeerServer(group, channel, accepted, all);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new PeerTransportException(Code.INTERRUPTED, "interrupted while binding " + address, e);
        } catch (RuntimeException e) {
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            throw new PeerTransportException(Code.CONNECT_FAILED, "cannot bind " + address, e);
        }
    }

    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** The next authenticated peer connection. */
    public NettyPeerTransport accept(Duration timeout) {
        try {
            NettyPeerTransport t = accepted.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (t == null) {
                throw new PeerTransportException(Code.TIMEOUT, "no peer connected within " + timeout);
            }
            return t;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PeerTransportException(Code.INTERRUPTED, "interrupted while accepting", e);
        }
    }

    /** Stops listening, closes every accepted connection and the event loop. */
    @Override
    public void close() {
        serverChannel.close().awaitUninterruptibly();
        for (NettyPeerTransport t : all) {
            t.close();
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
    }
}
