package io.hotaru.keys.relay.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Frames leave a {@link NettyRelayWire} in the order they were handed to it, whichever thread hands
 * them over: the peer checks each frame's authentication words in that order.
 */
@Timeout(60)
class NettyRelayWireTest {
    private final NettyTransport transport = NettyTransport.get();
    private final EventLoopGroup server = transport.group(1, "wire-test-server");
    private final EventLoopGroup client = transport.group(1, "wire-test-client");

    @AfterEach
    void close() {
        server.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
        client.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
    }

    @Test
    void aFrameSentOnTheEventLoopLeavesAfterOneAnotherThreadSentBeforeIt() throws Exception {
        BlockingQueue<byte[]> received = new LinkedBlockingQueue<>();
        AtomicReference<NettyRelayWire> accepted = new AtomicReference<>();
        Channel listening = new ServerBootstrap()
                .group(server)
                .channel(transport.serverChannel())
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        NettyRelayWire wire = NettyRelayWire.install(ch, null);
                        wire.start(received::add, () -> {});
                        accepted.set(wire);
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0))
                .sync()
                .channel();
        AtomicReference<NettyRelayWire> sender = new AtomicReference<>();
        Channel channel = new Bootstrap()
                .group(client)
                .channel(transport.clientChannel())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        sender.set(NettyRelayWire.install(ch, null));
                    }
                })
                .connect(listening.localAddress())
                .sync()
                .channel();
        NettyRelayWire wire = sender.get();

        for (int round = 0; round < 20; round++) {
            // The loop is busy (as when it handles a frame) while another thread sends a frame, then
            // sends one itself: the other thread's frame was handed over first, so it leaves first.
            CountDownLatch otherSent = new CountDownLatch(1);
            byte first = (byte) (2 * round);
            byte second = (byte) (2 * round + 1);
            channel.eventLoop().execute(() -> {
                try {
                    otherSent.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                wire.send(new byte[] {second});
            });
            wire.send(new byte[] {first});
            otherSent.countDown();
            for (byte expected : List.of(first, second)) {
                byte[] frame = received.poll(10, TimeUnit.SECONDS);
                assertThat(frame).as("round %d", round).containsExactly(expected);
            }
        }
        channel.close().sync();
        listening.close().sync();
    }
}
