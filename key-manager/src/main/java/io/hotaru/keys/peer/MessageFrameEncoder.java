package io.hotaru.keys.peer;

import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.codec.MessageCodec;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/** One message to its frame; the length prefix is added by the next handler. */
final class MessageFrameEncoder extends MessageToMessageEncoder<DistillMessage> {
    private final MessageCodec codec;

    MessageFrameEncoder(MessageCodec codec) {
        super(DistillMessage.class);
        this.codec = codec;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, DistillMessage message, List<Object> out) {
        out.add(Unpooled.wrappedBuffer(codec.encode(message)));
    }
}
