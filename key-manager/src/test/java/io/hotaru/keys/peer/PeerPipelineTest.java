package io.hotaru.keys.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.protocol.DistillMessage;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.DistillMessage.EstimationBits;
import io.hotaru.keys.distill.protocol.MessageSamples;
import io.hotaru.keys.distill.protocol.codec.CodecLimits;
import io.hotaru.keys.distill.protocol.codec.MessageCodec;
import io.hotaru.keys.peer.PeerTransportException.Code;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The peer pipeline in memory: framing, codec and delivery, with hostile input. */
class PeerPipelineTest {
    private static final PeerConfig CONFIG =
            PeerConfig.defaults().withLimits(CodecLimits.ofFrameBytes(4096)).withReceiveTimeout(Duration.ofMillis(50));
    private final MessageCodec codec = new MessageCodec(CONFIG.limits());
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final NettyPeerTransport transport = PeerPipeline.install(channel, CONFIG, null);

    private byte[] wire(DistillMessage m) {
        return prefixed(codec.encode(m));
    }

    private static byte[] prefixed(byte[] frame) {
        byte[] out = new byte[frame.length + 4];
        out[0] = (byte) (frame.length >>> 24);
        out[1] = (byte) (frame.length >>> 16);
        out[2] = (byte) (frame.length >>> 8);
        out[3] = (byte) frame.length;
        System.arraycopy(frame, 0, out, 4, frame.length);
        return out;
    }

    private byte[] written() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteBuf b;
        while ((b = channel.readOutbound()) != null) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void sendWritesALengthPrefixedFrame() {
        EstimationBits m = new EstimationBits(3, new long[] {1, 2, 3});
        transport.send(m);
        assertThat(written()).isEqualTo(wire(m));
    }

    @Test
    void framesSplitAnyWayArriveWhole() {
        MessageSamples samples = new MessageSamples(17, 30);
        for (int i = 0; i < 200; i++) {
            DistillMessage m = samples.next();
            byte[] bytes = wire(m);
            int cut = i % bytes.length;
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, 0, cut));
            channel.writeInbound(Unpooled.wrappedBuffer(bytes, cut, bytes.length - cut));
            assertThat(transport.receive()).usingRecursiveComparison().isEqualTo(m);
        }
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void malformedFrameClosesTheConnectionAndDeliversNothingAfterIt() {
        byte[] good = wire(new Confirm(1));
        byte[] bad = wire(new Confirm(2));
        bad[4] = 9; // unsupported version
        byte[] later = wire(new Confirm(3));
        ByteBuf all = Unpooled.wrappedBuffer(good, bad, later);
        channel.writeInbound(all);

        assertThat(transport.receive()).isEqualTo(new Confirm(1));
        assertFails(Code.MALFORMED_FRAME);
        assertFails(Code.MALFORMED_FRAME);
        assertThat(channel.isActive()).isFalse();
        assertThatThrownBy(() -> transport.send(new Confirm(4)))
                .isInstanceOfSatisfying(
                        PeerTransportException.class, e -> assertThat(e.code()).isEqualTo(Code.MALFORMED_FRAME));
    }

    @Test
    void oversizedLengthClosesTheConnectionBeforeReadingTheBody() {
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0x10, 0x01, 1, 2, 3}));
        assertFails(Code.FRAME_TOO_LARGE);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aFrameWhoseCountsExceedTheLimitsIsTooLarge() {
        // Body claims 2^31 − 1 words: refused by the codec before any allocation.
        byte[] frame = java.util.HexFormat.of().parseHex("0103000000" + "0d" + "0000000000000009" + "ffffffff07");
        channel.writeInbound(Unpooled.wrappedBuffer(prefixed(frame)));
        assertFails(Code.FRAME_TOO_LARGE);
    }

    @Test
    void tooManyUnreadMessagesCloseTheConnection() {
        for (int i = 0; i <= CONFIG.maxQueuedMessages(); i++) {
            channel.writeInbound(Unpooled.wrappedBuffer(wire(new Confirm(i))));
        }
        for (int i = 0; i < CONFIG.maxQueuedMessages(); i++) {
            assertThat(transport.receive()).isEqualTo(new Confirm(i));
        }
        assertFails(Code.OVERFLOW);
    }

    @Test
    void sendingAFrameOverTheLimitFailsWithoutClosing() {
        assertThatThrownBy(() -> transport.send(new EstimationBits(1, new long[600])))
                .isInstanceOfSatisfying(
                        PeerTransportException.class, e -> assertThat(e.code()).isEqualTo(Code.FRAME_TOO_LARGE));
        assertThat(written()).isEmpty();
    }

    @Test
    void receiveTimesOutAndCloses() {
        assertFails(Code.TIMEOUT);
        assertThat(channel.isActive()).isFalse();
        assertFails(Code.CLOSED);
    }

    @Test
    void peerClosingEndsReceives() {
        channel.writeInbound(Unpooled.wrappedBuffer(wire(new Confirm(5))));
        channel.close();
        assertThat(transport.receive()).isEqualTo(new Confirm(5));
        assertFails(Code.CLOSED);
    }

    private void assertFails(Code code) {
        assertThatThrownBy(transport::receive)
                .isInstanceOfSatisfying(
                        PeerTransportException.class, e -> assertThat(e.code()).isEqualTo(code));
    }
}
