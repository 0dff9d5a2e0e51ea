package io.hotaru.keys.relay;

import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A wire end that breaks the whole wire instead of sending the first frame matching a predicate
 * (the frame is lost), as a fibre cut at that moment would.
 */
final class CuttableWire implements RelayWire {
    /** Type byte of a relay frame: after the tag header and the version byte. */
    static final int TYPE_AT = LinkAuthenticator.HEADER_BYTES + 1;

    static final Predicate<byte[]> FORWARD =
            f -> !LinkAuthenticator.isHello(f) && f.length > TYPE_AT && f[TYPE_AT] == 1;
    /** A reply saying COMMITTED: type 4, then call ID and relay ID (8 bytes each), then the status. */
    static final Predicate<byte[]> COMMITTED_REPLY = f -> !LinkAuthenticator.isHello(f)
            && f.length == TYPE_AT + 18
            && f[TYPE_AT] == 4
            && f[TYPE_AT + 17] == RelayStatus.COMMITTED.ordinal();

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
