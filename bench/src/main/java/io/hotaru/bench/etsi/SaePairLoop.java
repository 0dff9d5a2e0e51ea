package io.hotaru.bench.etsi;

import io.hotaru.keys.net.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One SAE pair of the load: a kept-alive mutual-TLS connection of the master SAE to KME A and one of
 * the slave SAE to KME B, both on the driver's event loop. It loops {@code enc_keys} at A, then
 * {@code dec_keys} of the key it got at B, without a thread of its own and without turning the
 * response (which holds a key) into a String.
 */
final class SaePairLoop {
    private static final byte[] KEY_ID_FIELD = "\"key_ID\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final int UUID_CHARS = 36;

    private final int index;
    private final String encUri;
    private final String decUriPrefix;
    private final LatencySamples samples;
    private final AtomicBoolean measuring;
    private final AtomicBoolean stop;
    private final AtomicLong errors;
    private final CountDownLatch stopped;
    private Channel master;
    private Channel slave;
    private long started;
    private long encDone;
    /** Set on the event loop once the pair has stopped. */
    private boolean done;

    SaePairLoop(
            int index,
            LatencySamples samples,
            AtomicBoolean measuring,
            AtomicBoolean stop,
            AtomicLong errors,
            CountDownLatch stopped) {
        this.index = index;
        this.encUri = "/api/v1/keys/s" + index + "/enc_keys?number=1&size=256";
        this.decUriPrefix = "/api/v1/keys/m" + index + "/dec_keys?key_ID=";
        this.samples = samples;
        this.measuring = measuring;
        this.stop = stop;
        this.errors = errors;
        this.stopped = stopped;
    }

    /**
     * Opens both connections (TLS handshake included) and waits until they are up. Both use one
     * event loop of {@code group}, so the pair's state is only ever touched by that thread.
     */
    void connect(EventLoopGroup group, SslContext masterTls, int portA, SslContext slaveTls, int portB)
            throws InterruptedException {
        EventLoop loop = group.next();
        master = open(loop, masterTls, portA, true);
        slave = open(loop, slaveTls, portB, false);
    }

    private Channel open(EventLoop loop, SslContext tls, int port, boolean isMaster) throws InterruptedException {
        Bootstrap bootstrap = new Bootstrap()
                .group(loop)
                .channel(NettyTransport.get().clientChannel())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline()
                                .addLast(tls.newHandler(channel.alloc(), "localhost", port))
                                .addLast(new HttpClientCodec())
                                .addLast(new HttpObjectAggregator(64 * 1024))
                                .addLast(new Responses(isMaster));
                    }
                });
        return bootstrap.connect("localhost", port).sync().channel();
    }

    /** Starts the loop on the connections' event loop. */
    void start() {
        master.eventLoop().execute(this::sendEnc);
    }

    private void sendEnc() {
        if (done) {
            return;
        }
        if (stop.get()) {
            done = true;
            stopped.countDown();
            return;
        }
        started = System.nanoTime();
        master.writeAndFlush(get(encUri));
    }

    private static FullHttpRequest get(String uri) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, uri);
        request.headers().set(HttpHeaderNames.HOST, "localhost");
        return request;
    }

    private void onEnc(FullHttpResponse response) {
        encDone = System.nanoTime();
        String keyId = response.status().code() == 200 ? keyId(response.content()) : null;
        if (keyId == null) {
            errors.incrementAndGet();
            sendEnc();
            return;
        }
        slave.writeAndFlush(get(decUriPrefix + keyId));
    }

    private void onDec(FullHttpResponse response) {
        long end = System.nanoTime();
        if (response.status().code() != 200) {
            errors.incrementAndGet();
        } else if (measuring.get()) {
            samples.add(index, end - started, encDone - started, end - encDone);
        }
        sendEnc();
    }

    /** The first key ID of a key container (IDs are not secret; the key next to it stays in the buffer). */
    static String keyId(ByteBuf body) {
        int from = body.readerIndex();
        int limit = body.writerIndex() - KEY_ID_FIELD.length - UUID_CHARS;
        outer:
        for (int i = from; i <= limit; i++) {
            for (int j = 0; j < KEY_ID_FIELD.length; j++) {
                if (body.getByte(i + j) != KEY_ID_FIELD[j]) {
                    continue outer;
                }
            }
            return body.toString(i + KEY_ID_FIELD.length, UUID_CHARS, StandardCharsets.US_ASCII);
        }
        return null;
    }

    /** Ends this pair's loop once, whichever connection failed or closed first. */
    private void failed(String why) {
        if (done) {
            return;
        }
        done = true;
        if (!stop.get()) {
            errors.incrementAndGet();
            System.err.println("pair " + index + " stopped: " + why);
        }
        master.close();
        slave.close();
        stopped.countDown();
    }

    private final class Responses extends SimpleChannelInboundHandler<FullHttpResponse> {
        private final boolean isMaster;

        Responses(boolean isMaster) {
            this.isMaster = isMaster;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            try {
                if (isMaster) {
                    onEnc(response);
                } else {
                    onDec(response);
                }
            } finally {
                wipe(response.content());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.channel().eventLoop().execute(() -> failed(cause.toString()));
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            ctx.channel().eventLoop().execute(() -> failed("connection closed by the KME"));
        }
    }

    private static void wipe(ByteBuf content) {
        content.setZero(0, content.capacity());
    }
}
