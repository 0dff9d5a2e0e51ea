package io.hotaru.agent.link;

import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.BlockOutcome;
import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.BobBlock;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.PeerWait;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiver (Bob) end of a link: reads the time tagger, frames detections into blocks, runs
 * the distillation protocol for each block and stores the key.
 *
 * <p>Two threads, pipelined by block: the front end ({@code link-ID-receiver}) reads the tagger,
 * frames and runs the control loops; the distiller ({@code link-ID-distiller}) distils the framed
 * blocks one after another, in order, with the gate asked and told as before. The two take turns
 * on the core ({@link #turn}): the distiller computes whenever it can and gives the turn away only
 * while it waits for the transmitter's answers ({@link PeerWait}); the front end reads and frames
 * one batch per turn. So the next block is framed while the peer works, and framing never slows
 * the protocol's exchange down on a node with one core. On a node with more cores (as the JVM sees
 * them: {@code taskset} counts) the two run side by side. At most {@link #BLOCKS_AHEAD} framed
 * blocks wait for the distiller; the front end then waits too. Control loops run on the front end
 * only, told of each finished block before their next duty cycle.
 */
public final class ReceiverLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReceiverLink.class);
    /**
     * Detections per read: small enough that a batch (its time tags, channels and the simulated
     * detector's scratch arrays) stays in a core's cache from the tagger through the framer; a full
     * batch is read again at once, so the size does not limit the rate.
     */
    private static final int BATCH_CAPACITY = 1 << 12;
    /** Framed blocks that may wait for the distiller (besides the one it distils). */
    static final int BLOCKS_AHEAD = 1;

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
    private final AtomicLong distillerIdleNanos = new AtomicLong();
    private final List<ReceiverLoop> loops = new CopyOnWriteArrayList<>();
    private final BlockingQueue<DetectionBlock> framed = new ArrayBlockingQueue<>(BLOCKS_AHEAD);
    private final ConcurrentLinkedQueue<BlockReport> finished = new ConcurrentLinkedQueue<>();
    /**
     * The right to compute: on a node with one core, held by the distiller except while it waits
     * for the peer, taken by the front end for one batch at a time; fair, so the distiller gets it
     * back as soon as the batch in progress is framed. With more cores there are two turns, so the
     * two threads run side by side.
     */
    private final Semaphore turn = new Semaphore(Runtime.getRuntime().availableProcessors() > 1 ? 2 : 1, true);

    private final PeerWait giveTurnWhileWaiting = new PeerWait() {
        @Override
        public void waiting() {
            turn.release();
        }

        @Override
        public void resumed() {
            turn.acquireUninterruptibly();
        }
    };
    private volatile SlotClock slotClock;
    private final Thread frontEnd;
    private final Thread distiller;
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
                this::handOff);
        this.frontEnd = new Thread(this::readLoop, "link-" + linkId + "-receiver");
        this.frontEnd.setDaemon(true);
        this.distiller = new Thread(this::distillLoop, "link-" + linkId + "-distiller");
        this.distiller.setDaemon(true);
    }

    /** Adds a control loop to run on the front end's thread; call before {@link #start()}. */
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
        distiller.start();
        frontEnd.start();
    }

    private void readLoop() {
        try {
            while (running) {
                int n;
                turn.acquire();
                try {
                    n = readAndFrame();
                } finally {
                    turn.release();
                }
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

    /** One batch of time tags read, mapped to link time and framed; then the control loops' duty cycle. */
    private int readAndFrame() {
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
        return n;
    }

    /**
     * The framer's sink, on the front end holding the turn: queues the block, or, while {@link
     * #BLOCKS_AHEAD} blocks wait, gives the turn up until the distiller takes one.
     */
    private void handOff(DetectionBlock block) {
        if (framed.offer(block)) {
            return;
        }
        turn.release();
        try {
            while (running) {
                if (framed.offer(block, 50, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            turn.acquireUninterruptibly();
        }
        Arrays.fill(block.bits(), (byte) 0); // stopping: the block is dropped before it started
    }

    private void distillLoop() {
        try {
            while (running) {
                long idleFrom = System.nanoTime();
                DetectionBlock block = framed.poll(50, TimeUnit.MILLISECONDS);
                distillerIdleNanos.addAndGet(System.nanoTime() - idleFrom);
                if (block != null) {
                    turn.acquire();
                    try {
                        distill(block);
                    } finally {
                        turn.release();
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("link {}: receiver stopped: {}", linkId, e.toString());
        } finally {
            running = false;
            dropFramed();
        }
    }

    /** Zeroes and drops the blocks framed but not started. */
    private void dropFramed() {
        for (DetectionBlock left; (left = framed.poll()) != null; ) {
            Arrays.fill(left.bits(), (byte) 0);
        }
    }

    private void runLoops() {
        for (BlockReport report; (report = finished.poll()) != null; ) {
            for (ReceiverLoop loop : loops) {
                try {
                    loop.blockFinished(report);
                } catch (RuntimeException e) {
                    loopErrors.incrementAndGet();
                    log.warn("link {}: {} loop: {}", linkId, loop.name(), e.toString());
                }
            }
        }
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
            Arrays.fill(block.bits(), (byte) 0);
            return;
        }
        startedBlocks.incrementAndGet();
        BobBlock bob = gate.admit(block.blockId(), block.firstSlot(), block.endSlot(), block.size())
                ? new BobBlock(
                        block.blockId(), block.firstSlot(), block.endSlot(), block.slots(), block.bases(), block.bits())
                : new BobBlock(
                        block.blockId(), block.firstSlot(), block.endSlot(), new long[0], new byte[0], new byte[0]);
        BlockOutcome outcome = session.distill(bob, giveTurnWhileWaiting);
        Arrays.fill(block.bits(), (byte) 0);
        // The session and its transport keep nothing of the block (PeerTransport#send).
        framer.recycle(block);
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
        if (!loops.isEmpty()) {
            finished.add(outcome.report());
        }
    }

    /** Whether this end is still reading and distilling (false once its channel failed or it closed). */
    public boolean isRunning() {
        return frontEnd.isAlive() && distiller.isAlive();
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

    /**
     * Time the distiller has spent with no framed block to distil: the receiver's headroom. A
     * receiver that keeps up with its link idles between blocks; one that falls behind never does.
     */
    public long distillerIdleNanos() {
        return distillerIdleNanos.get();
    }

    /** Errors that escaped a control loop (each loop counts its own too); the receiver went on. */
    public long loopErrors() {
        return loopErrors.get();
    }

    /**
     * Stops after the block in progress, if any, has finished; blocks framed but not started are
     * dropped (their bits zeroed).
     */
    @Override
    public void close() {
        running = false;
        try {
            frontEnd.join(30_000);
            distiller.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        dropFramed();
        tagger.stop();
    }
}
