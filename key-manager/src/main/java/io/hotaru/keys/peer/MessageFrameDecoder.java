package io.hotaru.keys.peer;

import io.hotaru.keys.distill.protocol.codec.MessageCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;
import java.util.List;

/**
 * One length-delimited frame to one message. A {@link
 * io.hotaru.keys.distill.protocol.codec.CodecException} surfaces as Netty's {@code
 * DecoderException}, which {@link InboundMessages} turns into a closed connection.
 */
final class MessageFrameDecoder extends MessageToMessageDecoder<ByteBuf> {
    private final MessageCodec codec;

    MessageFrameDecoder(MessageCodec codec) {
        super(ByteBuf.class);
        this.codec = codec;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        byte[] bytes = ByteBufUtil.getBytes(frame);
        out.add(codec.decode(bytes));
    }
}
