package io.hotaru.keys.etsi014;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.Attribute;
import io.netty.util.AttributeKey;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP glue of the ETSI GS QKD 014 API: routes {@code /api/v1/keys/{SAE_ID}/{status|enc_keys|dec_keys}},
 * decodes query or JSON body, and writes the answer. Every refusal is a JSON {@code {"message": ...}};
 * nothing a client sends can produce a 500.
 */
@ChannelHandler.Sharable
final class Etsi014Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger log = LoggerFactory.getLogger(Etsi014Handler.class);
    private static final String PREFIX = "/api/v1/keys/";
    /** Requests a server takes at once before it answers 503 "service busy" (its workers and their queue). */
    static final int MAX_IN_FLIGHT = Etsi014Server.STORE_THREADS + Etsi014Server.QUEUED_REQUESTS;

    private static final Pattern INTEGER = Pattern.compile("-?[0-9]{1,9}");
    /** The identities a connection's verified certificate gives, read once per connection. */
    private static final AttributeKey<Optional<String>> SAE_OF_CONNECTION =
            AttributeKey.valueOf(Etsi014Handler.class, "sae");

    private static final AttributeKey<Optional<String>> KME_OF_CONNECTION =
            AttributeKey.valueOf(Etsi014Handler.class, "kme");

    private final KeyDeliveryService service;
    private final Function<Channel, Optional<String>> identity;
    private final Function<Channel, Optional<String>> kmeIdentity;
    private final ReservationSync reservationSync;
    private final Executor storeExecutor;
    /** Requests started and not yet answered, when they run without a worker thread. */
    private final AtomicInteger inFlight = new AtomicInteger();

    /**
     * @param storeExecutor runs the store and peer calls, which block; the I/O thread only decodes
     *     and encodes
     */
    Etsi014Handler(KeyDeliveryService service, Function<Channel, Optional<String>> identity, Executor storeExecutor) {
        this(service, identity, c -> Optional.empty(), ReservationSync.disabled(), storeExecutor);
    }

    /**
     * @param kmeIdentity the peer KME a connection's certificate names, if it is a KME certificate
     * @param reservationSync the internal endpoint for peer KMEs
     */
    Etsi014Handler(
            KeyDeliveryService service,
            Function<Channel, Optional<String>> identity,
            Function<Channel, Optional<String>> kmeIdentity,
            ReservationSync reservationSync,
            Executor storeExecutor) {
        this.service = service;
        this.identity = identity;
        this.kmeIdentity = kmeIdentity;
        this.reservationSync = reservationSync;
        this.storeExecutor = storeExecutor;
    }

    /** What the worker needs of a request; the Netty request is released when this method returns. */
    private record Incoming(
            Optional<String> caller,
            Optional<String> kmeCaller,
            HttpMethod method,
            String uri,
            byte[] body,
            boolean decoded,
            boolean keepAlive) {}

    /**
     * Reads the request, then answers it. When the delivery service does not block ({@link
     * KeyDeliveryService#nonBlocking}), {@code enc_keys} and {@code dec_keys} are started on this
     * I/O thread and answered when the store's futures complete, with no worker thread in between;
     * everything else that may block (status, reservation sync, a pool top-up) runs on the store
     * executor. Otherwise the whole request runs on the store executor.
     */
    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean decoded = request.decoderResult().isSuccess();
        Incoming incoming = new Incoming(
                once(ctx.channel(), SAE_OF_CONNECTION, identity),
                once(ctx.channel(), KME_OF_CONNECTION, kmeIdentity),
                request.method(),
                request.uri(),
                ByteBufUtil.getBytes(request.content()),
                decoded,
                decoded && HttpUtil.isKeepAlive(request));
        if (service.nonBlocking()) {
            if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
                inFlight.decrementAndGet();
                write(ctx, error(new ApiError(503, "service busy")), false);
                return;
            }
            answer(incoming, storeExecutor).whenComplete((response, never) -> {
                inFlight.decrementAndGet();
                write(ctx, response, incoming.keepAlive());
            });
            return;
        }
        try {
            storeExecutor.execute(
                    () -> write(ctx, answer(incoming, Runnable::run).join(), incoming.keepAlive()));
        } catch (RejectedExecutionException busy) {
            write(ctx, error(new ApiError(503, "service busy")), false);
        }
    }

    /**
     * The identity of the connection, read from its certificate at its first request: the peer's
     * certificate cannot change on a TLS 1.3 connection (no renegotiation), so later requests reuse it.
     */
    private static Optional<String> once(
            Channel channel, AttributeKey<Optional<String>> key, Function<Channel, Optional<String>> read) {
        Attribute<Optional<String>> cached = channel.attr(key);
        Optional<String> value = cached.get();
        if (value == null) {
            value = read.apply(channel);
            cached.set(value);
        }
        return value;
    }

    /** The answer to a request, refusals included; the future never fails. */
    private CompletableFuture<ApiResponse> answer(Incoming incoming, Executor blocking) {
        CompletableFuture<ApiResponse> answer;
        try {
            answer = handle(incoming, blocking);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        return answer.handle((response, failure) -> failure == null ? response : refusal(incoming, failure));
    }

    private static ApiResponse refusal(Incoming incoming, Throwable failure) {
        Throwable e = KeyDeliveryService.cause(failure);
        if (e instanceof ApiError apiError) {
            return error(apiError);
        }
        if (e instanceof RejectedExecutionException) {
            return error(new ApiError(503, "service busy"));
        }
        log.error("Unexpected failure serving {} {}", incoming.method(), incoming.uri(), e);
        return error(ApiError.unavailable("service unavailable"));
    }

    private static ApiResponse error(ApiError e) {
        return ApiResponse.json(e.status(), Etsi014Json.write(new Etsi014Json.Error(e.getMessage(), e.details())));
    }

    /** Routes a request; what may block runs on {@code blocking}. */
    private CompletableFuture<ApiResponse> handle(Incoming request, Executor blocking) {
        if (!request.decoded()) {
            throw ApiError.badRequest("malformed HTTP request");
        }
        if (ReservationSync.PATH.equals(rawPath(request.uri()))) {
            // KME-to-KME only: decided by the KME certificate, never by an SAE identity.
            if (!request.method().equals(HttpMethod.POST)) {
                throw new ApiError(405, "method " + request.method() + " not allowed");
            }
            return CompletableFuture.supplyAsync(
                    () -> reservationSync.handle(request.kmeCaller(), request.body(), service::requireReservable),
                    blocking);
        }
        // Identity first: nothing is parsed for a connection without a known SAE.
        String caller = request.caller().orElseThrow(() -> ApiError.unauthorized("no SAE identity"));
        service.requireAttached(caller);

        QueryStringDecoder uri;
        try {
            uri = new QueryStringDecoder(request.uri());
            uri.parameters(); // decoded lazily: fail here, as a 400, on a malformed escape
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed URI");
        }
        String path = uri.rawPath();
        if (!path.startsWith(PREFIX)) {
            throw new ApiError(404, "not found");
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty()) {
            throw new ApiError(404, "not found");
        }
        String sae = decode(parts[0]);
        HttpMethod method = request.method();
        byte[] body = request.body();
        switch (parts[1]) {
            case "status":
                requireMethod(method, false);
                return CompletableFuture.supplyAsync(() -> service.status(caller, sae), blocking);
            case "enc_keys":
                requireMethod(method, true);
                return service.encKeysAsync(
                        caller,
                        sae,
                        method.equals(HttpMethod.POST)
                                ? Etsi014Json.read(body, Etsi014Json.KeyRequest.class, "key request")
                                : new Etsi014Json.KeyRequest(
                                        intParameter(uri, "number"), intParameter(uri, "size"), null, null, null),
                        blocking);
            case "dec_keys":
                requireMethod(method, true);
                return service.decKeysAsync(caller, sae, method.equals(HttpMethod.POST) ? keyIds(body) : keyId(uri));
            default:
                throw new ApiError(404, "not found");
        }
    }

    private static String rawPath(String uri) {
        int query = uri.indexOf('?');
        return query < 0 ? uri : uri.substring(0, query);
    }

    private static List<String> keyIds(byte[] body) {
        Etsi014Json.KeyIds ids = Etsi014Json.read(body, Etsi014Json.KeyIds.class, "key IDs");
        if (ids.keyIds() == null) {
            throw ApiError.badRequest("key_IDs is required");
        }
        return ids.keyIds().stream()
                .map(entry -> entry == null ? null : entry.keyId())
                .toList();
    }

    private static List<String> keyId(QueryStringDecoder uri) {
        List<String> values = uri.parameters().get("key_ID");
        if (values == null || values.size() != 1) {
            throw ApiError.badRequest("key_ID shall be given once");
        }
        return values;
    }

    private static Integer intParameter(QueryStringDecoder uri, String name) {
        List<String> values = uri.parameters().get(name);
        if (values == null) {
            return null;
        }
        if (values.size() != 1 || !INTEGER.matcher(values.get(0)).matches()) {
            throw ApiError.badRequest(name + " shall be one integer");
        }
        return Integer.valueOf(values.get(0));
    }

    private static void requireMethod(HttpMethod method, boolean postAllowed) {
        if (!method.equals(HttpMethod.GET) && !(postAllowed && method.equals(HttpMethod.POST))) {
            throw new ApiError(405, "method " + method + " not allowed");
        }
    }

    private static String decode(String segment) {
        try {
            return QueryStringDecoder.decodeComponent(segment);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("malformed SAE ID in path");
        }
    }

    /** Writes the answer with one task on the connection's event loop (one wake-up of its thread). */
    private static void write(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        if (ctx.executor().inEventLoop()) {
            writeNow(ctx, response, keepAlive);
        } else {
            try {
                ctx.executor().execute(() -> writeNow(ctx, response, keepAlive));
            } catch (RejectedExecutionException closing) {
                if (response.secret()) {
                    Arrays.fill(response.body(), (byte) 0);
                }
            }
        }
    }

    private static void writeNow(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        HttpResponse head =
                new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(response.status()));
        head.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length)
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
        if (response.status() == 405) {
            head.headers().set(HttpHeaderNames.ALLOW, "GET, POST");
        }
        if (!keepAlive) {
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        ctx.write(head);
        // The body goes out as its own buffer (not copied into the header buffer) and is wiped
        // once written, if it holds keys.
        ChannelFuture done = ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(response.body())));
        if (response.secret()) {
            done.addListener(f -> Arrays.fill(response.body(), (byte) 0));
        }
        if (!keepAlive) {
            done.addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // TLS failures, resets and the like: expected on a network, logged without stack traces.
        log.info("Closing connection from {}: {}", ctx.channel().remoteAddress(), rootMessage(cause));
        ctx.close();
    }

    static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
