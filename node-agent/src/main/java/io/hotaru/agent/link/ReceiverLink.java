package io.hotaru.agent.link;

import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BobBlock;
import io.hotaru.keys.distill.BobSession;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver (Bob) end of a link: reads the time tagger, frames detections into blocks, runs
 * the distillation protocol for each block and stores the key. Blocks are distilled one after
 * another on this end's thread.
 */
public final class ReceiverLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReceiverLink.class);
    /**
     * Detections per read: small enough that a batch (its time tags, channels and the simulated
     * detector's scratch arrays) stays in a core's cache from the tagger through the framer; a full
     * batch is read again at once, so the size does not limit the rate.
     */
    private static final int BATCH_CAPACITY = 1 << 12;

    private final String linkId;
    private final TimeTagger tagger;
    private final BobSession session;
    private final KeySink sink;
    private final BlockGate gate;
    private final BlockFramer framer;
    private final TagBatch batch = new TagBatch(BATCH_CAPACITY);
    private final LinkStats stats = new LinkStats();
    private final AtomicLong startedBlocks = new AtomicLong();
    private final AtomicLong lostBatches = new AtomicLong();
    private final AtomicLong loopErrors = new AtomicLong();
    private final List<ReceiverLoop> loops = new CopyOnWriteArrayList<>();
    private volatile SlotClock slotClock;
    private final Thread thread;
    private volatile boolean running;

    /**
     * @param slotPeriodPs the source's pulse period, from its settings
     * @param blockDetections detections per block
     * @param squashSeed seed of the random basis and bit given to multi-click slots
     */
    public ReceiverLink(
            String linkId,
            TimeTagger tagger,
            BobSession session,
            KeySink sink,
            double slotPeriodPs,
            int blockDetections,
            long squashSeed) {
        this(linkId, tagger, session, sink, slotPeriodPs, blockDetections, squashSeed, BlockGate.OPEN);
    }

    /**
     * @param gate asked before each block whether it may make key, told after it how it ended
     */
    public ReceiverLink(
            String linkId,
            TimeTagger tagger,
            BobSession session,
            KeySink sink,
            double slotPeriodPs,
            int blockDetections,
            long squashSeed,
            BlockGate gate) {
        this(linkId, tagger, session, sink, slotPeriodPs, blockDetections, squashSeed, gate, 0, 0);
    }

    /**
     * @param firstBlockId id of the first block (both ends must agree on it)
     * @param firstSlot the first block starts at this slot; earlier detections are dropped
     */
    public ReceiverLink(
            String linkId,
            TimeTagger tagger,
            BobSession session,
            KeySink sink,
            double slotPeriodPs,
            int blockDetections,
            long squashSeed,
            BlockGate gate,
            long firstBlockId,
            long firstSlot) {
        this.linkId = linkId;
        this.tagger = tagger;
        this.session = session;
        this.sink = sink;
        this.gate = gate;
        this.framer = new BlockFramer(
                slotPeriodPs,
                blockDetections,
                firstBlockId,
                firstSlot,
                new SplittableRandom(squashSeed),
                this::distill);
        this.thread = new Thread(this::loop, "link-" + linkId + "-receiver");
        this.thread.setDaemon(true);
    }

    /** Adds a control loop to run on this end's thread; call before {@link #start()}. */
    public void addLoop(ReceiverLoop loop) {
        if (running) {
            throw new IllegalStateException("add control loops before the receiver starts");
        }
        loops.add(loop);
    }

    /**
     * Maps the time tagger's clock to the link's slot clock, tracking its drift, before framing; call
     * before {@link #start()} with the clock {@link SlotClockAcquisition} found.
     */
    public void useSlotClock(SlotClock clock) {
        if (running) {
            throw new IllegalStateException("set the slot clock before the receiver starts");
        }
        this.slotClock = clock;
    }

    public void start() {
        running = true;
        tagger.start();
        thread.start();
    }

    private void loop() {
        try {
            while (running) {
                int n = tagger.read(batch);
                if (batch.dataLost()) {
                    lostBatches.incrementAndGet();
                }
                long complete = batch.completeUpToPs();
                SlotClock clock = slotClock;
                if (clock != null) {
                    clock.track(batch.timestampsPs(), n);
                    clock.toLinkTime(batch.timestampsPs(), n);
                    complete = clock.linkTimePs(complete);
                }
                framer.add(batch.timestampsPs(), batch.channels(), n);
                framer.completeUpTo(complete);
                runLoops();
                if (n < batch.capacity()) {
                    Thread.sleep(10);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("link {}: receiver stopped: {}", linkId, e.toString());
        } finally {
            running = false;
        }
    }

    private void runLoops() {
        for (ReceiverLoop loop : loops) {
            try {
                loop.doWork(framer.nextBlockId());
            } catch (RuntimeException e) {
                loopErrors.incrementAndGet();
                log.warn("link {}: {} loop: {}", linkId, loop.name(), e.toString());
            }
        }
    }

    private void distill(DetectionBlock block) {
        if (!running) {
            return;
        }
        startedBlocks.incrementAndGet();
        BobBlock bob = gate.admit(block.blockId(), block.firstSlot(), block.endSlot(), block.size())
                ? new BobBlock(
                        block.blockId(), block.firstSlot(), block.endSlot(), block.slots(), block.bases(), block.bits())
                : new BobBlock(
                        block.blockId(), block.firstSlot(), block.endSlot(), new long[0], new byte[0], new byte[0]);
        BlockOutcome outcome = session.distill(bob);
        Arrays.fill(block.bits(), (byte) 0);
        gate.finished(outcome);
        int stored = 0;
        if (outcome instanceof BlockOutcome.Distilled d) {
            try {
                stored = sink.accept(linkId, d.blockId(), d.key());
            } finally {
                Arrays.fill(d.key(), (byte) 0);
            }
        }
        stats.record(outcome, stored);
        for (ReceiverLoop loop : loops) {
            try {
                loop.blockFinished(outcome.report());
            } catch (RuntimeException e) {
                loopErrors.incrementAndGet();
                log.warn("link {}: {} loop: {}", linkId, loop.name(), e.toString());
            }
        }
    }

    /** Whether this end is still reading and distilling (false once its channel failed or it closed). */
    public boolean isRunning() {
        return thread.isAlive();
    }

    public String linkId() {
        return linkId;
    }

    public LinkStats stats() {
        return stats;
    }

    /** Blocks this end has started to distil. */
    public long startedBlocks() {
        return startedBlocks.get();
    }

    /** Batches the time tagger flagged as having lost data. */
    public long lostBatches() {
        return lostBatches.get();
    }

    /** Errors that escaped a control loop (each loop counts its own too); the receiver went on. */
    public long loopErrors() {
        return loopErrors.get();
    }

    /** Stops after the block in progress, if any, has finished. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tagger.stop();
    }
}
