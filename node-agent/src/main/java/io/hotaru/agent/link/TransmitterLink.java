package io.hotaru.agent.link;

import io.hotaru.drivers.PhotonSource;
import io.hotaru.keys.distill.AliceEmissions;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.DistillException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transmitter (Alice) end of a link: drives the photon source and, block by block, answers
 * the receiver's distillation protocol with the states the source sent, then stores the key.
 */
public final class TransmitterLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(TransmitterLink.class);

    private final String linkId;
    private final PhotonSource source;
    private final AliceSession session;
    private final KeySink sink;
    private final BlockGate gate;
    private final LinkStats stats = new LinkStats();
    private final AtomicLong finishedBlocks = new AtomicLong();
    private final Thread thread;
    private final long firstBlockId;
    private volatile boolean running;
    private volatile long firstKeySlot;

    public TransmitterLink(String linkId, PhotonSource source, AliceSession session, KeySink sink) {
        this(linkId, source, session, sink, BlockGate.OPEN);
    }

    /**
     * @param gate asked before each block whether it may make key, told after it how it ended
     */
    public TransmitterLink(String linkId, PhotonSource source, AliceSession session, KeySink sink, BlockGate gate) {
        this(linkId, source, session, sink, gate, 0);
    }

    /**
     * @param firstBlockId id of the first block (both ends must agree on it)
     */
    public TransmitterLink(
            String linkId, PhotonSource source, AliceSession session, KeySink sink, BlockGate gate, long firstBlockId) {
        this.linkId = linkId;
        this.firstBlockId = firstBlockId;
        this.source = source;
        this.session = session;
        this.sink = sink;
        this.gate = gate;
        this.thread = new Thread(this::loop, "link-" + linkId + "-transmitter");
        this.thread.setDaemon(true);
    }

    /**
     * Refuses (aborts at both ends) every block that starts below {@code slot}: the slots revealed
     * for time-offset acquisition ({@link SlotRevealServer}) never carry key. Call before {@link
     * #start()}.
     */
    public void refuseSlotsBelow(long slot) {
        if (running) {
            throw new IllegalStateException("set the first key slot before the transmitter starts");
        }
        this.firstKeySlot = slot;
    }

    public void start() {
        running = true;
        source.start();
        thread.start();
    }

    private void loop() {
        long blockId = firstBlockId;
        while (running) {
            BlockOutcome outcome;
            try {
                outcome = session.distill(blockId, (id, first, end, slots) -> {
                    if (first < firstKeySlot) {
                        throw new DistillException(
                                DistillException.Code.INVALID_INPUT, "block overlaps the slots revealed for time sync");
                    }
                    if (!gate.admit(id, first, end, slots.length)) {
                        // the session aborts the block at both ends (INVALID_INPUT)
                        throw new DistillException(DistillException.Code.INVALID_INPUT, "withheld by the monitors");
                    }
                    return emissions(slots);
                });
            } catch (RuntimeException e) { // the transport's failures, incl. an interrupt while stopping
                if (!running) {
                    return;
                }
                log.error("link {}: transmitter stopped after a transport failure: {}", linkId, e.getMessage());
                running = false;
                return;
            }
            gate.finished(outcome);
            int stored = 0;
            if (outcome instanceof BlockOutcome.Distilled d) {
                try {
                    stored = sink.accept(linkId, d.blockId(), d.key());
                } catch (RuntimeException e) { // the store failed: stop, as the receiver does
                    log.error("link {}: transmitter stopped: block {} not kept: {}", linkId, d.blockId(), e.toString());
                    running = false;
                    return;
                } finally {
                    Arrays.fill(d.key(), (byte) 0);
                }
            }
            stats.record(outcome, stored);
            finishedBlocks.incrementAndGet();
            blockId++;
        }
    }

    private AliceEmissions emissions(long[] slots) {
        int n = slots.length;
        byte[] intensity = new byte[n];
        byte[] basis = new byte[n];
        byte[] bit = new byte[n];
        source.statesFor(slots, n, intensity, basis, bit);
        return new AliceEmissions(slots, intensity, basis, bit);
    }

    /** Whether this end is still distilling (false once its channel failed or it closed). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    public String linkId() {
        return linkId;
    }

    public LinkStats stats() {
        return stats;
    }

    /** Blocks this end has finished, distilled or aborted. */
    public long finishedBlocks() {
        return finishedBlocks.get();
    }

    /**
     * Stops once the receiver's blocks up to {@code receiverBlocks} are finished here too, so both
     * ends hold the same blocks, or after {@code timeout}.
     */
    public void stopAfter(long receiverBlocks, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (finishedBlocks.get() < receiverBlocks && System.nanoTime() < deadline && thread.isAlive()) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        source.stop();
    }
}
