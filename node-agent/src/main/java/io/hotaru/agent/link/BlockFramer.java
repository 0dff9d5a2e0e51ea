package io.hotaru.agent.link;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Turns the receiver's time-tagged detections into blocks of about {@code blockDetections}
 * detections, each covering a whole slot range so that both ends agree on which pulses it
 * holds.
 *
 * <p>Timestamps become slot numbers by rounding to the nearest slot ({@link #slotOf}). Channels follow the BB84
 * receiver convention of {@link io.hotaru.drivers.TimeTagger} (basis = channel / 2, bit = channel
 * % 2). Several clicks in one slot are squashed to one detection with a random basis and bit, as
 * the squashing model requires, and counted. Events on other channels, or that go back in time,
 * are dropped and counted.
 */
public final class BlockFramer {

    /** Below this a timestamp is rounded to its slot in integer arithmetic (2t + period fits a double's 53 bits). */
    private static final long INTEGER_ROUNDING_BELOW = 1L << 52;

    private final double slotPeriodPs;
    /** The slot period in whole picoseconds when it is a whole number of them, else 0. */
    private final long wholePeriodPs;
    /** 1 / (2 × the slot period): a first guess of a slot, which integer arithmetic then makes exact. */
    private final double inverseTwoPeriods;

    private final int blockDetections;
    private final RandomGenerator squashRandom;
    private final Consumer<DetectionBlock> sink;

    private long[] slots;
    private byte[] bases;
    private byte[] bits;
    private int size;
    private long firstSlot;
    private long nextBlockId;
    private long lastSlot = -1;
    private boolean lastSquashed;

    private long multiClicks;
    private long droppedEvents;

    /** Full blocks handed back by {@link #recycle}: the next full block is copied into their arrays. */
    private final Queue<DetectionBlock> returned = new ConcurrentLinkedQueue<>();

    public BlockFramer(
            double slotPeriodPs,
            int blockDetections,
            long firstBlockId,
            RandomGenerator squashRandom,
            Consumer<DetectionBlock> sink) {
        this(slotPeriodPs, blockDetections, firstBlockId, 0, squashRandom, sink);
    }

    /**
     * @param firstSlot the first block starts here; earlier events are dropped (a link end started
     *     again after its channel failed must not cover slots of blocks already distilled)
     */
    public BlockFramer(
            double slotPeriodPs,
            int blockDetections,
            long firstBlockId,
            long firstSlot,
            RandomGenerator squashRandom,
            Consumer<DetectionBlock> sink) {
        if (!(slotPeriodPs > 0)) {
            throw new IllegalArgumentException("slot period must be > 0");
        }
        if (blockDetections < 1) {
            throw new IllegalArgumentException("block size must be >= 1 detection");
        }
        this.slotPeriodPs = slotPeriodPs;
        this.wholePeriodPs = slotPeriodPs == Math.rint(slotPeriodPs) && slotPeriodPs < 1e12 ? (long) slotPeriodPs : 0;
        this.inverseTwoPeriods = 1 / (2 * slotPeriodPs);
        this.blockDetections = blockDetections;
        this.nextBlockId = firstBlockId;
        this.firstSlot = firstSlot;
        this.squashRandom = squashRandom;
        this.sink = sink;
        int capacity = blockDetections + 16;
        this.slots = new long[capacity];
        this.bases = new byte[capacity];
        this.bits = new byte[capacity];
    }

    /** Adds events in time order. */
    public void add(long[] timestampsPs, byte[] channels, int count) {
        for (int i = 0; i < count; i++) {
            add(timestampsPs[i], channels[i]);
        }
    }

    /** Adds one event. */
    public void add(long timestampPs, int channel) {
        if (channel < 0 || channel > 3 || timestampPs < 0) {
            droppedEvents++;
            return;
        }
        long slot = slotOf(timestampPs);
        if (slot < lastSlot || slot < firstSlot) {
            droppedEvents++;
            return;
        }
        if (slot == lastSlot && size > 0) {
            if (!lastSquashed) {
                multiClicks++;
                lastSquashed = true;
                bases[size - 1] = (byte) squashRandom.nextInt(2);
                bits[size - 1] = (byte) squashRandom.nextInt(2);
            }
            return;
        }
        if (size >= blockDetections) {
            emit(lastSlot + 1);
        }
        if (size == slots.length) {
            grow();
        }
        slots[size] = slot;
        bases[size] = (byte) (channel >> 1);
        bits[size] = (byte) (channel & 1);
        size++;
        lastSlot = slot;
        lastSquashed = false;
    }

    /**
     * The nearest slot to a timestamp (≥ 0), halves rounded up: {@code Math.round(t / T)}. With a
     * whole period T in ps and t below 2⁵² ps (52 days), as floor((2t + T) / 2T) in integers without a
     * division: a double product guesses the quotient and the remainder corrects the guess. The slot
     * is the same: below 2⁵² the double quotient t / T is within q·2⁻⁵³ < 1/2T of the exact one, and a
     * quotient that is not a half lies at least 1/2T from one, so both round alike.
     */
    long slotOf(long timestampPs) {
        long period = wholePeriodPs;
        if (period == 0 || timestampPs >= INTEGER_ROUNDING_BELOW) {
            return Math.round(timestampPs / slotPeriodPs);
        }
        long n = 2 * timestampPs + period;
        long d = 2 * period;
        long q = (long) (n * inverseTwoPeriods);
        long r = n - q * d;
        while (r < 0) {
            q--;
            r += d;
        }
        while (r >= d) {
            q++;
            r -= d;
        }
        return q;
    }

    /**
     * Tells the framer that every event before {@code timePs} has been seen, so a full block can be
     * closed without waiting for the next detection.
     */
    public void completeUpTo(long timePs) {
        long slot = (long) Math.floor(timePs / slotPeriodPs);
        if (size >= blockDetections && slot > lastSlot) {
            emit(lastSlot + 1);
        }
    }

    /**
     * Hands back a block this framer emitted once nothing refers to its arrays any more (its bits
     * already zeroed): the next full block is copied into them instead of into new arrays. A node
     * with blocks of 2²⁰ detections would otherwise allocate 10 MB per block that lives through the
     * block's distillation, is promoted by the collector and fills the old generation of a small
     * heap. At most two wait; a partial block, or one already handed back, is not kept. Any thread
     * may call it.
     */
    public void recycle(DetectionBlock block) {
        synchronized (returned) {
            if (block.size() == blockDetections
                    && returned.size() < 2
                    && returned.stream().noneMatch(b -> b.slots() == block.slots())) {
                returned.offer(block);
            }
        }
    }

    private void emit(long endSlot) {
        DetectionBlock spare = size == blockDetections ? returned.poll() : null;
        DetectionBlock block = spare == null
                ? new DetectionBlock(
                        nextBlockId++,
                        firstSlot,
                        endSlot,
                        Arrays.copyOf(slots, size),
                        Arrays.copyOf(bases, size),
                        Arrays.copyOf(bits, size))
                : new DetectionBlock(
                        nextBlockId++,
                        firstSlot,
                        endSlot,
                        copy(slots, spare.slots()),
                        copy(bases, spare.bases()),
                        copy(bits, spare.bits()));
        Arrays.fill(bits, 0, size, (byte) 0);
        size = 0;
        firstSlot = endSlot;
        sink.accept(block);
    }

    private long[] copy(long[] from, long[] to) {
        System.arraycopy(from, 0, to, 0, size);
        return to;
    }

    private byte[] copy(byte[] from, byte[] to) {
        System.arraycopy(from, 0, to, 0, size);
        return to;
    }

    private void grow() {
        int n = slots.length * 2;
        slots = Arrays.copyOf(slots, n);
        bases = Arrays.copyOf(bases, n);
        bits = Arrays.copyOf(bits, n);
    }

    /** The ID of the block being filled now. */
    public long nextBlockId() {
        return nextBlockId;
    }

    public long multiClicks() {
        return multiClicks;
    }

    public long droppedEvents() {
        return droppedEvents;
    }
}
