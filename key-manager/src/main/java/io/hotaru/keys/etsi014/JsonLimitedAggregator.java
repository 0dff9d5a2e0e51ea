package io.hotaru.keys.etsi014;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Aggregates request bodies up to a limit; a larger body gets a JSON 413 (and the connection is
 * closed), like every other refusal of the server, instead of Netty's empty one.
 */
final class JsonLimitedAggregator extends HttpObjectAggregator {
    /** How long the rest of an oversized body may drain after the 413 before the connection closes. */
    static final long DRAIN_MILLIS = 2_000;

    private final int maxBytes;

    JsonLimitedAggregator(int maxBytes) {
        super(maxBytes);
        this.maxBytes = maxBytes;
    }

    /**
     * Answers 413 and closes the connection a little later. Closing at once while the client is
     * still sending the body would make the kernel reset the connection, and a reset can discard
     * the answer before the client reads it (seen in CI as "header parser received no bytes"). The
     * aggregator drops the rest of the body meanwhile; a client that closes first ends it sooner.
     */
    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ctx.writeAndFlush(tooLarge())
                .addListener(sent -> ctx.executor().schedule(() -> ctx.close(), DRAIN_MILLIS, TimeUnit.MILLISECONDS));
    }

    @Override
    protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
        Object response = super.newContinueResponse(start, maxContentLength, pipeline);
        if (response instanceof HttpResponse r
                && r.status().code() == HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE.code()) {
            return tooLarge();
        }
        return response;
    }

    @Override
    protected boolean closeAfterContinueResponse(Object msg) {
        return msg instanceof HttpResponse r && r.status().code() == 413 || super.closeAfterContinueResponse(msg);
    }

    private FullHttpResponse tooLarge() {
        byte[] body = Etsi014Json.write(new Etsi014Json.Error(
                "request body exceeds " + maxBytes + " bytes", List.of(Map.of("max_body_bytes", maxBytes))));
        FullHttpResponse response = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return response;
    }
}
