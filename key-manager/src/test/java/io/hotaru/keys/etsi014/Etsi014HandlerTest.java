package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP layer in memory: whatever a client sends, the answer is a JSON document, never a 500. */
class Etsi014HandlerTest {
    private static final String[] SEGMENTS = {
        "sae-b", "sae-a", "", "%", "%zz", "%00", "..", "status", "enc_keys", "dec_keys", "x".repeat(300)
    };
    private static final String[] QUERIES = {
        "",
        "?number=1",
        "?number=-1",
        "?number=0",
        "?number=2147483648",
        "?number=1&number=2",
        "?size=256",
        "?size=7",
        "?size=",
        "?number=1e3",
        "?key_ID=",
        "?key_ID=00000000-0000-0000-0000-000000000000",
        "?key_ID=zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz",
        "?%=%",
        "?&&&",
        "?number=%31"
    };
    private static final String[] BODIES = {
        "",
        "null",
        "[]",
        "{}",
        "{",
        "\"x\"",
        "{\"number\":null}",
        "{\"number\":1.5}",
        "{\"number\":true}",
        "{\"number\":99999999999999}",
        "{\"size\":-8}",
        "{\"key_IDs\":null}",
        "{\"key_IDs\":[null]}",
        "{\"key_IDs\":\"x\"}",
        "{\"key_IDs\":[{\"key_ID\":7}]}",
        "{\"key_IDs\":[{}]}",
        "{\"additional_slave_SAE_IDs\":[null]}",
        "{\"extension_mandatory\":[null]}",
        "{\"extension_mandatory\":[{\"a\":1}]}",
        "{\"number\":1} trailing",
        "[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]"
    };

    @TempDir
    Path dir;

    KeyStore store;
    EmbeddedChannel channel;

    @BeforeEach
    void setUp() {
        store = KeyStore.open(dir.resolve("a.db"), MasterKey.of(new byte[32]));
        store.ingest("ab", 1, new byte[8 * KeyStore.KEY_BYTES]);
        KeyDeliveryService service = new KeyDeliveryService(KeyDeliveryServiceTest.CONFIG, store, r -> {});
        channel = new EmbeddedChannel(
                new BodyRecorder(), new Etsi014Handler(service, ch -> Optional.of("sae-a"), Runnable::run));
    }

    @AfterEach
    void tearDown() {
        channel.finishAndReleaseAll();
        store.close();
    }

    @Test
    void noRequestEverGetsA500OrANonJsonAnswer() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 400; i++) {
            String uri =
                    "/api/v1/keys/" + pick(random, SEGMENTS) + "/" + pick(random, SEGMENTS) + pick(random, QUERIES);
            HttpMethod method = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE)
                    .get(random.nextInt(4));
            String body = pick(random, BODIES);
            Answer answer = send(method, uri, body);
            assertThat(answer.status())
                    .as("seed %d: %s %s %s", seed, method, uri, body)
                    .isIn(200, 400, 401, 404, 405, 503);
            JsonNode json = Etsi014Json.MAPPER.readTree(answer.body());
            if (answer.status() != 200) {
                assertThat(json.get("message").isTextual())
                        .as("seed %d: %s", seed, uri)
                        .isTrue();
                assertThat(json.get("message").asText())
                        .as("seed %d: %s %s %s hit an unexpected failure", seed, method, uri, body)
                        .isNotEqualTo("service unavailable");
            }
        }
    }

    @Test
    void answersWithTheKeyContainerAndWipesItOnceWritten() throws Exception {
        Answer answer = send(HttpMethod.GET, "/api/v1/keys/sae-b/enc_keys?number=2", "");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(Etsi014Json.MAPPER.readTree(answer.body()).get("keys")).hasSize(2);

        channel.writeInbound(request(HttpMethod.GET, "/api/v1/keys/sae-b/enc_keys?number=1", ""));
        channel.readOutbound();
        HttpContent written = channel.readOutbound();
        assertThat(ByteBufUtil.getBytes(written.content())).containsOnly((byte) 0);
        written.release();
    }

    @Test
    void aMalformedEscapeIsABadRequest() {
        assertThat(send(HttpMethod.GET, "/api/v1/keys/sae-b/enc_keys?%=%", "").status())
                .isEqualTo(400);
        assertThat(send(HttpMethod.GET, "/api/v1/keys/%zz/enc_keys", "").status())
                .isEqualTo(400);
    }

    @Test
    void anUnknownCallerIs401WhateverItAsks() {
        EmbeddedChannel stranger = new EmbeddedChannel(new Etsi014Handler(
                new KeyDeliveryService(KeyDeliveryServiceTest.CONFIG, store, r -> {}),
                ch -> Optional.of("sae-z"),
                Runnable::run));
        stranger.writeInbound(request(HttpMethod.GET, "/api/v1/keys/sae-b/status", ""));
        HttpResponse head = stranger.readOutbound();
        assertThat(head.status().code()).isEqualTo(401);
        stranger.finishAndReleaseAll();
    }

    private record Answer(int status, byte[] body) {}

    private Answer send(HttpMethod method, String uri, String body) {
        channel.writeInbound(request(method, uri, body));
        HttpResponse head = channel.readOutbound();
        HttpContent content = channel.readOutbound();
        content.release();
        return new Answer(head.status().code(), channel.pipeline().get(BodyRecorder.class).last);
    }

    /** Copies each body as it is written, before the handler wipes a secret one. */
    static final class BodyRecorder extends ChannelOutboundHandlerAdapter {
        byte[] last;

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            if (msg instanceof HttpContent content) {
                last = ByteBufUtil.getBytes(content.content());
            }
            ctx.write(msg, promise);
        }
    }

    private static FullHttpRequest request(HttpMethod method, String uri, String body) {
        ByteBuf content = Unpooled.copiedBuffer(body, StandardCharsets.UTF_8);
        return new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, uri, content);
    }

    private static String pick(Random random, String[] options) {
        return options[random.nextInt(options.length)];
    }
}
