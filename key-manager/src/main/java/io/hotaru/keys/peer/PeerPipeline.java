package io.hotaru.keys.peer;

import io.hotaru.keys.distill.protocol.codec.MessageCodec;
import io.netty.channel.Channel;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.ssl.SslHandler;

/**
 * The handlers of a peer connection, in order: TLS (optional), 4-byte length framing with the
 * frame limit (fail fast on an oversized length), message codec, inbound queue. Framing, codec and
 * delivery are separate handlers, so each is tested on its own with {@code EmbeddedChannel}.
 */
final class PeerPipeline {
    static final int LENGTH_BYTES = 4;

    private PeerPipeline() {}

    /** Installs the handlers on {@code channel} and returns the transport reading from them. */
    static NettyPeerTransport install(Channel channel, PeerConfig config, SslHandler tls) {
        MessageCodec codec = new MessageCodec(config.limits());
        InboundMessages inbound = new InboundMessages(config.maxQueuedMessages());
        ChannelPipeline p = channel.pipeline();
        if (tls != null) {
            p.addLast("tls", tls);
        }
        p.addLast(
                "frame-decoder",
                new LengthFieldBasedFrameDecoder(
                        config.limits().maxFrameBytes() + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true));
        p.addLast("frame-prepender", new LengthFieldPrepender(LENGTH_BYTES));
        p.addLast("message-decoder", new MessageFrameDecoder(codec));
        p.addLast("message-encoder", new MessageFrameEncoder(codec));
        p.addLast("inbound", inbound);
        return new NettyPeerTransport(channel, inbound, config);
    }
}
