package io.hotaru.keys.relay;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Both ends of a wire inside one JVM: each direction is delivered in order by its own thread, as a
 * socket would. {@link #cut()} fails both ends at once, like a broken fibre.
 */
public final class InMemoryWire {
    private final End a = new End();
    private final End b = new End();

    public InMemoryWire() {
        a.peer = b;
        b.peer = a;
    }

    public RelayWire endA() {
        return a;
    }

    public RelayWire endB() {
        return b;
    }

    /** Breaks the wire: frames in flight are lost, both ends see it closed. */
    public void cut() {
        a.close();
    }

    private static final class End implements RelayWire {
        private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "relay-wire");
            t.setDaemon(true);
            return t;
        });
        private End peer;
        private final java.util.ArrayDeque<byte[]> arrived = new java.util.ArrayDeque<>();
        private volatile Consumer<byte[]> onFrame;
        private volatile Runnable onClosed;
        private volatile boolean closed;

        @Override
        public void start(Consumer<byte[]> frames, Runnable closedListener) {
            this.onFrame = frames;
            this.onClosed = closedListener;
            try {
                delivery.execute(this::drain); // frames that came before start, in order
            } catch (RejectedExecutionException closedAlready) {
                // nothing will be delivered
            }
        }

        /** Runs on the delivery thread only: hands queued frames over once there is a receiver. */
        private void drain() {
            Consumer<byte[]> receiver = onFrame;
            if (receiver == null) {
                return;
            }
            byte[] frame;
            while (!closed && (frame = arrived.poll()) != null) {
                receiver.accept(frame);
            }
        }

        @Override
        public void send(byte[] frame) {
            if (closed) {
                throw new IllegalStateException("wire closed");
            }
            byte[] copy = frame.clone();
            try {
                peer.delivery.execute(() -> {
                    peer.arrived.add(copy);
                    peer.drain();
                });
            } catch (RejectedExecutionException e) {
                throw new IllegalStateException("wire closed", e);
            }
        }

        @Override
        public void close() {
            closeOne();
            peer.closeOne();
        }

        /**
         * Closes this end once. The listener runs outside the lock: it takes the locks of the
         * peer's side (its authenticator), which a thread sending under those locks may hold while
         * it closes this end, as a cut wire does.
         */
        private void closeOne() {
            synchronized (this) {
                if (closed) {
                    return;
                }
                closed = true;
            }
            delivery.shutdownNow();
            Runnable listener = onClosed;
            if (listener != null) {
                listener.run();
            }
        }
    }
}
