package io.hotaru.keys.relay;

import io.hotaru.keys.relay.codec.RelayCodec;
import io.hotaru.keys.relay.codec.RelayCodecException;
import java.util.Arrays;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A wire end that breaks the whole wire instead of sending the first frame matching a predicate
 * (the frame is lost), as a fibre cut at that moment would.
 */
final class CuttableWire implements RelayWire {
    /** A frame carrying a forward (alone or in a batch). */
    static final Predicate<byte[]> FORWARD =
            f -> decoded(f) instanceof RelayMessage.Forward || decoded(f) instanceof RelayMessage.ForwardBatch;
    /** A frame leasing pad units for use (not a burn-only resend). */
    static final Predicate<byte[]> LEASE = f -> decoded(f) instanceof RelayMessage.Lease l && !l.burnOnly();
    /** A reply saying COMMITTED (alone or in a batch). */
    static final Predicate<byte[]> COMMITTED_REPLY =
            f -> decoded(f) instanceof RelayMessage.Reply r && r.status() == RelayStatus.COMMITTED
                    || decoded(f) instanceof RelayMessage.ReplyBatch b
                            && b.replies().stream().anyMatch(r -> r.status() == RelayStatus.COMMITTED);

    /** The message of a relay frame (the tag is not checked); null for a hello or an undecodable frame. */
    static RelayMessage decoded(byte[] frame) {
        if (LinkAuthenticator.isHello(frame) || frame.length < LinkAuthenticator.HEADER_BYTES) {
            return null;
        }
        try {
            return RelayCodec.decode(Arrays.copyOfRange(frame, LinkAuthenticator.HEADER_BYTES, frame.length));
        } catch (RelayCodecException e) {
            return null;
        }
    }

    private final RelayWire inner;
    private final InMemoryWire wire;
    private volatile Predicate<byte[]> cutBefore = f -> false;

    CuttableWire(InMemoryWire wire, RelayWire inner) {
        this.wire = wire;
        this.inner = inner;
    }

    void cutBefore(Predicate<byte[]> frames) {
        this.cutBefore = frames;
    }

    @Override
    public void start(Consumer<byte[]> onFrame, Runnable onClosed) {
        inner.start(onFrame, onClosed);
    }

    @Override
    public void send(byte[] frame) {
        if (cutBefore.test(frame)) {
            wire.cut();
        }
        inner.send(frame);
    }

    @Override
    public void close() {
        inner.close();
    }
}
