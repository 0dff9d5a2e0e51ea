package io.hotaru.keys.relay.net;

import io.hotaru.keys.relay.RelayWire;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.SslHandler;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RelayWire} over one Netty connection: mutual TLS 1.3 (the computational outer layer),
 * then 4-byte length framing that refuses a frame over the relay limit before reading it, then the
 * frames in order to the relay channel on the connection's event loop. Frames that arrive before
 * {@link #start} are held.
 */
public final class NettyRelayWire implements RelayWire {
    private static final Logger log = LoggerFactory.getLogger(NettyRelayWire.class);
    static final int LENGTH_BYTES = 4;
    /** Largest frame on the wire: a relay frame and its tag header. */
    public static final int MAX_WIRE_FRAME =
            io.hotaru.keys.relay.codec.RelayCodec.MAX_FRAME_BYTES + RelayWire.AUTH_HEADER_BYTES;

    private final Channel channel;
    private final List<byte[]> early = new ArrayList<>();
    private Consumer<byte[]> onFrame;
    private Runnable onClosed;
    private boolean closedEarly;

    private NettyRelayWire(Channel channel) {
        this.channel = channel;
    }

    /** Installs the framing and delivery handlers after {@code tls} and returns the wire. */
    static NettyRelayWire install(Channel channel, SslHandler tls) {
        NettyRelayWire wire = new NettyRelayWire(channel);
        ChannelPipeline p = channel.pipeline();
        if (tls != null) {
            p.addLast("tls", tls);
        }
        p.addLast(
                "frame-decoder",
                new LengthFieldBasedFrameDecoder(
                        MAX_WIRE_FRAME + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true));
        p.addLast("frame-prepender", new LengthFieldPrepender(LENGTH_BYTES));
        p.addLast("relay-frames", wire.new Delivery());
        return wire;
    }

    @Override
    public void start(Consumer<byte[]> frames, Runnable closedListener) {
        List<byte[]> held;
        boolean closed;
        synchronized (this) {
            this.onFrame = frames;
            this.onClosed = closedListener;
            held = new ArrayList<>(early);
            early.clear();
            closed = closedEarly;
        }
        channel.eventLoop().execute(() -> held.forEach(frames));
        if (closed) {
            closedListener.run();
        }
    }

    @Override
    public void send(byte[] frame) {
        if (!channel.isActive()) {
            throw new IllegalStateException("relay connection to " + channel.remoteAddress() + " is closed");
        }
        ByteBuf buffer = Unpooled.wrappedBuffer(frame);
        if (channel.eventLoop().inEventLoop()) {
            // Behind the writes other threads queued on the loop before this one: frames leave in
            // the order they were sealed (a write from the loop itself would otherwise go first).
            channel.eventLoop().execute(() -> channel.writeAndFlush(buffer));
        } else {
            channel.writeAndFlush(buffer); // queued on the loop
        }
    }

    /** The CN of the peer's verified certificate (its node ID), if the connection uses TLS. */
    public Optional<String> peerName() {
        SslHandler ssl = channel.pipeline().get(SslHandler.class);
        if (ssl == null) {
            return Optional.empty();
        }
        try {
            Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
                return Optional.empty();
            }
            RDN[] cns = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded())
                    .getRDNs(BCStyle.CN);
            if (cns.length != 1 || cns[0].isMultiValued()) {
                return Optional.empty();
            }
            return Optional.of(IETFUtils.valueToString(cns[0].getFirst().getValue()));
        } catch (SSLPeerUnverifiedException e) {
            return Optional.empty();
        }
    }

    @Override
    public void close() {
        channel.close();
    }

    private final class Delivery extends SimpleChannelInboundHandler<ByteBuf> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
            byte[] bytes = ByteBufUtil.getBytes(frame);
            Consumer<byte[]> target;
            synchronized (NettyRelayWire.this) {
                target = onFrame;
                if (target == null) {
                    early.add(bytes);
                    return;
                }
            }
            target.accept(bytes);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            Runnable listener;
            synchronized (NettyRelayWire.this) {
                listener = onClosed;
                closedEarly = listener == null;
            }
            if (listener != null) {
                listener.run();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.warn("Relay connection {} failed: {}", ctx.channel().remoteAddress(), cause.getMessage());
            ctx.close();
        }
    }
}
