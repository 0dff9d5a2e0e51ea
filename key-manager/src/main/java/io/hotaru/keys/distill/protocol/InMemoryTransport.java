package io.hotaru.keys.distill.protocol;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** Two connected in-JVM endpoints, for tests and the single-process demo. */
public final class InMemoryTransport implements PeerTransport {
    private final BlockingQueue<DistillMessage> inbox;
    private final BlockingQueue<DistillMessage> outbox;
    private final AtomicInteger sent = new AtomicInteger();

    private InMemoryTransport(BlockingQueue<DistillMessage> inbox, BlockingQueue<DistillMessage> outbox) {
        this.inbox = inbox;
        this.outbox = outbox;
    }

    /** The two ends of one link. */
    public record Pair(InMemoryTransport alice, InMemoryTransport bob) {}

    public static Pair pair() {
        BlockingQueue<DistillMessage> toAlice = new LinkedBlockingQueue<>();
        BlockingQueue<DistillMessage> toBob = new LinkedBlockingQueue<>();
        return new Pair(new InMemoryTransport(toAlice, toBob), new InMemoryTransport(toBob, toAlice));
    }

    @Override
    public void send(DistillMessage message) {
        sent.incrementAndGet();
        // A wire hands the peer its own copy. Bob's detections are the arrays a sender reuses (a
        // finished block's, for the next block), so they are copied; the peer reads them while
        // Bob may already have given up on the block.
        outbox.add(
                message instanceof DistillMessage.Detections d
                        ? new DistillMessage.Detections(
                                d.blockId(),
                                d.firstSlot(),
                                d.endSlot(),
                                d.slots().clone(),
                                d.bases().clone())
                        : message);
    }

    @Override
    public DistillMessage receive() {
        try {
            return inbox.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a peer message", e);
        }
    }

    /** Messages sent from this end so far. */
    public int sentCount() {
        return sent.get();
    }

    /** Messages waiting to be received at this end. */
    public int pending() {
        return inbox.size();
    }
}
