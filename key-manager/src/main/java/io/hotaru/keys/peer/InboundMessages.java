package io.hotaru.keys.peer;

import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.codec.CodecException;
import io.hotaru.keys.peer.PeerTransportException.Code;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import javax.net.ssl.SSLException;

/**
 * The last inbound handler: queues decoded messages for the blocking {@code receive}. Any failure
 * (bad frame, oversize, TLS, overflow) is recorded and closes the connection; what was queued
 * before stays, nothing after it is delivered.
 */
final class InboundMessages extends SimpleChannelInboundHandler<DistillMessage> {
    /** Put after the last message when the connection ends. */
    static final Object END = new Object();

    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final int capacity;
    private volatile PeerTransportException failure;
    private volatile boolean closed;

    InboundMessages(int capacity) {
        super(DistillMessage.class);
        this.capacity = capacity;
    }

    /** Messages, then {@link #END} once the connection is gone. */
    BlockingQueue<Object> queue() {
        return queue;
    }

    /** Why the connection ended, or null while it is open or if it closed normally. */
    PeerTransportException failure() {
        return failure;
    }

    boolean closed() {
        return closed;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DistillMessage message) {
        if (failure != null) {
            return;
        }
        if (queue.size() >= capacity) {
            fail(ctx, new PeerTransportException(Code.OVERFLOW, "more than " + capacity + " unread messages"));
            return;
        }
        queue.add(message);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        queue.add(END);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, classify(cause));
    }

    private void fail(ChannelHandlerContext ctx, PeerTransportException e) {
        if (failure == null) {
            failure = e;
        }
        closed = true;
        ctx.close();
    }

    static PeerTransportException classify(Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            return new PeerTransportException(Code.FRAME_TOO_LARGE, "frame over the limit", cause);
        }
        if (cause instanceof DecoderException && cause.getCause() instanceof CodecException codec) {
            return codec.code() == CodecException.Code.TOO_LARGE
                    ? new PeerTransportException(Code.FRAME_TOO_LARGE, codec.getMessage(), codec)
                    : new PeerTransportException(Code.MALFORMED_FRAME, codec.getMessage(), codec);
        }
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (c instanceof SSLException) {
                return new PeerTransportException(Code.TLS_FAILED, String.valueOf(c.getMessage()), cause);
            }
        }
        return new PeerTransportException(Code.CLOSED, String.valueOf(cause.getMessage()), cause);
    }
}
