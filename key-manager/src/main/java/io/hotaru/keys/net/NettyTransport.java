package io.hotaru.keys.net;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.Locale;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The socket transport of every Netty server and client of the key manager (ETSI 014, the peer
 * channel, the relay): Linux's epoll through Netty's native transport where it loads, else the JDK's
 * NIO, with one log line saying why. Both carry the same bytes; epoll costs less CPU and fewer
 * wake-ups per request (docs/adr/0016-store-statements-prepared-once.md, "Epoll"). The system
 * property {@value #PROPERTY} ({@code epoll} or {@code nio}) forces one.
 *
 * @param name {@code epoll} or {@code nio}
 */
public record NettyTransport(
        String name,
        Supplier<IoHandlerFactory> ioHandler,
        Class<? extends ServerChannel> serverChannel,
        Class<? extends SocketChannel> clientChannel) {

    /** System property naming the transport: epoll or nio. */
    public static final String PROPERTY = "hotaru.netty.transport";

    private static final Logger log = LoggerFactory.getLogger(NettyTransport.class);
    private static final NettyTransport EPOLL = new NettyTransport(
            "epoll", EpollIoHandler::newFactory, EpollServerSocketChannel.class, EpollSocketChannel.class);
    private static final NettyTransport NIO =
            new NettyTransport("nio", NioIoHandler::newFactory, NioServerSocketChannel.class, NioSocketChannel.class);
    private static volatile NettyTransport chosen;

    /**
     * The transport: as {@value #PROPERTY} says, else epoll where it loads, else NIO.
     *
     * @throws KeyManagerException {@code CONFIG} if the property names something else, or epoll
     *     where it cannot load
     */
    public static NettyTransport get() {
        NettyTransport transport = chosen;
        if (transport == null) {
            transport = choose(System.getProperty(PROPERTY, ""), Epoll.isAvailable());
            chosen = transport;
        }
        return transport;
    }

    static NettyTransport choose(String wanted, boolean epollLoads) {
        switch (wanted.trim().toLowerCase(Locale.ROOT)) {
            case "nio":
                log.info("Sockets on Java NIO ({}=nio)", PROPERTY);
                return NIO;
            case "epoll":
                if (!epollLoads) {
                    throw new KeyManagerException(
                            Code.CONFIG,
                            PROPERTY + "=epoll but epoll cannot be used here: " + whyNotEpoll() + "; set " + PROPERTY
                                    + "=nio or leave it unset");
                }
                return EPOLL;
            case "":
                if (epollLoads) {
                    return EPOLL;
                }
                log.info("Sockets on Java NIO: epoll cannot be used here ({})", whyNotEpoll());
                return NIO;
            default:
                throw new KeyManagerException(
                        Code.CONFIG, PROPERTY + "=" + wanted + " is not a socket transport; use epoll or nio");
        }
    }

    private static String whyNotEpoll() {
        Throwable cause = Epoll.unavailabilityCause();
        return cause == null ? "not available" : cause.toString();
    }

    /** An event loop group of {@code threads} threads named {@code name}-N-M on this transport. */
    public MultiThreadIoEventLoopGroup group(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name), ioHandler.get());
    }
}
