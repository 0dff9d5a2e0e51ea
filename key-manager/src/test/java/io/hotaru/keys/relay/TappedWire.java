package io.hotaru.keys.relay;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A wire end that keeps a copy of every frame it sends and can inject frames into its own inbound
 * side, as an attacker on the wire could.
 */
class TappedWire implements RelayWire {
    final List<byte[]> sent = new CopyOnWriteArrayList<>();
    private final RelayWire inner;
    private volatile Consumer<byte[]> inbound;

    TappedWire(RelayWire inner) {
        this.inner = inner;
    }

    @Override
    public void start(Consumer<byte[]> onFrame, Runnable onClosed) {
        this.inbound = onFrame;
        inner.start(onFrame, onClosed);
    }

    @Override
    public void send(byte[] frame) {
        sent.add(frame.clone());
        inner.send(frame);
    }

    /** Delivers {@code frame} to this end as if it had come from the peer. */
    void inject(byte[] frame) {
        inbound.accept(frame);
    }

    @Override
    public void close() {
        inner.close();
    }
}
