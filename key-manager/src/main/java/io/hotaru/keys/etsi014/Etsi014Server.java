package io.hotaru.keys.etsi014;

import io.hotaru.keys.net.NettyTransport;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import io.hotaru.keys.store.KeyPool;
import io.hotaru.keys.store.PeerReservations;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETSI GS QKD 014 key delivery server of one KME: HTTPS with mutual TLS required, SAE identity
 * from the client certificate only. Store calls run off the I/O threads.
 */
public final class Etsi014Server implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Etsi014Server.class);
    private static final int MAX_BODY_BYTES = 64 * 1024;
    private static final int IDLE_SECONDS = 60;
    /**
     * Threads for the calls that block (status, reservation sync, pool top-ups, and every store call
     * when the store cannot answer through futures); the store's writer groups operations into one
     * commit.
     */
    static final int STORE_THREADS = 64;

    static final int QUEUED_REQUESTS = 1024;

    private final Etsi014Config config;
    private final EventLoopGroup acceptor;
    private final EventLoopGroup io;
    private final ExecutorService blocking;
    private final Channel listener;

    private Etsi014Server(
            Etsi014Config config,
            EventLoopGroup acceptor,
            EventLoopGroup io,
            ExecutorService blocking,
            Channel listener) {
        this.config = config;
        this.acceptor = acceptor;
        this.io = io;
        this.blocking = blocking;
        this.listener = listener;
    }

    /**
     * Starts listening. {@code sslContext} must be a server context requiring client certificates
     * (see {@code TlsContexts.kmeServer}).
     *
     * @throws KeyManagerException {@code BIND_FAILED}, naming the address and port, if it cannot
     *     listen
     */
    public static Etsi014Server start(
            Etsi014Config config, SslContext sslContext, KeyPool store, PeerReservations peers) {
        return start(config, sslContext, store, peers, ReservationSync.disabled());
    }

    /**
     * Starts listening, also serving peer KMEs' reservation announcements ({@link ReservationSync}).
     *
     * @throws KeyManagerException {@code BIND_FAILED} if it cannot listen
     */
    public static Etsi014Server start(
            Etsi014Config config,
            SslContext sslContext,
            KeyPool store,
            PeerReservations peers,
            ReservationSync reservationSync) {
        return start(config, sslContext, store, peers, reservationSync, KeySupply.none());
    }

    /**
     * Starts listening; an {@code enc_keys} that finds its pair's pool short asks {@code supply} to
     * top it up (for instance by relaying keys) before it answers 503.
     *
     * @throws KeyManagerException {@code BIND_FAILED} if it cannot listen
     */
    public static Etsi014Server start(
            Etsi014Config config,
            SslContext sslContext,
            KeyPool store,
            PeerReservations peers,
            ReservationSync reservationSync,
            KeySupply supply) {
        if (!sslContext.isServer()) {
            throw new KeyManagerException(Code.TLS, "ETSI 014 server needs a server TLS context");
        }
        ExecutorService blocking = new ThreadPoolExecutor(
                STORE_THREADS,
                STORE_THREADS,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUED_REQUESTS),
                new DefaultThreadFactory("etsi014-store-" + config.kmeId()));
        Etsi014Handler handler = new Etsi014Handler(
                new KeyDeliveryService(config, store, peers, supply),
                channel -> ClientCertificates.saeId(channel, config.saeIdentity()),
                ClientCertificates::kmeId,
                reservationSync,
                blocking);
        NettyTransport transport = NettyTransport.get();
        EventLoopGroup acceptor = transport.group(1, "etsi014-accept-" + config.kmeId());
        EventLoopGroup io = transport.group(2, "etsi014-io-" + config.kmeId());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptor, io)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ChannelPipeline pipeline = channel.pipeline();
                        pipeline.addLast("tls", sslContext.newHandler(channel.alloc()));
                        pipeline.addLast("idle", new ReadTimeoutHandler(IDLE_SECONDS, TimeUnit.SECONDS));
                        pipeline.addLast("http", new HttpServerCodec());
                        pipeline.addLast("aggregate", new JsonLimitedAggregator(MAX_BODY_BYTES));
                        pipeline.addLast("etsi014", handler);
                    }
                });
        InetSocketAddress address = new InetSocketAddress(config.bindAddress(), config.port());
        try {
            Channel listener = bootstrap.bind(address).sync().channel();
            Etsi014Server server = new Etsi014Server(config, acceptor, io, blocking, listener);
            log.info(
                    "KME {} serves ETSI GS QKD 014 on https://{}:{}",
                    config.kmeId(),
                    config.bindAddress(),
                    server.port());
            return server;
        } catch (Exception e) {
            shutdown(acceptor, io, blocking);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new KeyManagerException(
                    Code.BIND_FAILED,
                    "KME " + config.kmeId() + " cannot listen on " + config.bindAddress() + " port " + config.port()
                            + ": " + e.getMessage(),
                    e);
        }
    }

    /** The port actually bound (the ephemeral one when configured as 0). */
    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public Etsi014Config config() {
        return config;
    }

    /** Stops accepting, closes connections and waits for the threads to end. */
    @Override
    public void close() {
        listener.close().syncUninterruptibly();
        shutdown(acceptor, io, blocking);
        log.info("KME {} stopped its ETSI GS QKD 014 server", config.kmeId());
    }

    private static void shutdown(EventLoopGroup acceptor, EventLoopGroup io, ExecutorService blocking) {
        acceptor.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        blocking.shutdown();
        acceptor.terminationFuture().syncUninterruptibly();
        io.terminationFuture().syncUninterruptibly();
        try {
            if (!blocking.awaitTermination(5, TimeUnit.SECONDS)) {
                log.warn("ETSI 014 store calls still running after 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
