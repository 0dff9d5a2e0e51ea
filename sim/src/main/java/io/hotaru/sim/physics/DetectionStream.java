package io.hotaru.sim.physics;

/**
 * Bob's detections on one link, generated range by range at a cost proportional to the number of
 * detections rather than of pulses, and without storing anything per pulse.
 *
 * <p>Slots are cut into blocks of 2^16. Within a block, candidate slots form a Bernoulli process
 * with the largest click probability of any level, p_max = 1 − (1 − Y_0)·e^(−η·μ_max), walked with
 * geometric gaps; a candidate whose pulse has level k is kept with probability p_det(μ_k)/p_max
 * (thinning), so every slot clicks independently with exactly its own p_det. A kept slot is a photon
 * detection with probability (1 − e^(−ημ))(1 − Y_0)/p_det, and otherwise a dark count or a
 * coincidence of photon and dark count, which gives a random bit. Bob's basis is a fair coin
 * (passive); with matching bases a photon gives Alice's bit, flipped with probability e_d, and with
 * different bases a random bit.
 *
 * <p>Every decision comes from {@link CounterRandom} streams keyed by the block or slot, so the
 * detections in any slot range are a pure function of (link key, parameters): generating [0, N) in
 * one call or in any chunks, or after a {@link #seek}, gives the same events bit for bit.
 *
 * <p>Not thread-safe: one instance per reader.
 */
public final class DetectionStream {

    static final int BLOCK_BITS = 16;
    private static final long BLOCK_SLOTS = 1L << BLOCK_BITS;
    private static final long NONE = -1;

    private final WeakCoherentSource source;
    private final CounterRandom blockStartRandom;
    private final CounterRandom skipRandom;
    private final CounterRandom acceptRandom;
    private final CounterRandom clickRandom;
    private final CounterRandom errorRandom;
    private final double maxClickProbability;
    private final double logOfMiss;
    private final long[] accept53;
    private final long[] photon53;
    private final long error53;

    private long block;
    private long candidate;
    private long position;

    /** A stream positioned at slot 0. */
    public DetectionStream(LinkParameters parameters, long linkKey) {
        this.source = new WeakCoherentSource(parameters, linkKey);
        this.blockStartRandom = CounterRandom.of(linkKey, Streams.BOB_BLOCK_START);
        this.skipRandom = CounterRandom.of(linkKey, Streams.BOB_SKIP);
        this.acceptRandom = CounterRandom.of(linkKey, Streams.BOB_ACCEPT);
        this.clickRandom = CounterRandom.of(linkKey, Streams.BOB_CLICK);
        this.errorRandom = CounterRandom.of(linkKey, Streams.BOB_ERROR);

        ThresholdDetector detector = parameters.detector();
        double channel = parameters.channel().transmittance();
        int levels = parameters.levelCount();
        double[] click = new double[levels];
        double max = 0;
        for (int k = 0; k < levels; k++) {
            click[k] = detector.clickProbability(channel, parameters.intensity(k));
            max = Math.max(max, click[k]);
        }
        this.maxClickProbability = max;
        this.logOfMiss = Math.log1p(-max);
        this.accept53 = new long[levels];
        this.photon53 = new long[levels];
        for (int k = 0; k < levels; k++) {
            if (click[k] > 0) {
                accept53[k] = click[k] == max ? 1L << 53 : CounterRandom.threshold53(click[k] / max);
                double photonOnly = detector.signalProbability(channel, parameters.intensity(k))
                        * (1 - parameters.darkCountProbability());
                photon53[k] = CounterRandom.threshold53(photonOnly / click[k]);
            }
        }
        this.error53 = CounterRandom.threshold53(parameters.misalignmentError());
        seek(0);
    }

    /** The largest click probability of any level, the rate of the candidate process. */
    public double maxClickProbability() {
        return maxClickProbability;
    }

    /** Every slot before this one has been examined (its detection, if any, returned). */
    public long position() {
        return position;
    }

    /** Moves to {@code slot}: the next call returns the detections from that slot on. */
    public void seek(long slot) {
        if (slot < 0) {
            throw new IllegalArgumentException("slot must be >= 0, got " + slot);
        }
        block = slot >>> BLOCK_BITS;
        candidate = firstCandidate(block);
        while (candidate != NONE && candidate < slot) {
            candidate = nextCandidate(candidate);
        }
        position = slot;
    }

    /**
     * Writes the detections in slots [{@link #position()}, {@code endSlot}), at most {@code max} of
     * them, to {@code slots} and {@code channels} from {@code offset} on, in slot order. If it stops
     * at {@code max}, the next call continues after the last one returned. A channel is Bob's basis
     * times 2 plus his bit: 0 = Z/0, 1 = Z/1, 2 = X/0, 3 = X/1.
     *
     * @return how many detections were written
     */
    public int next(long endSlot, long[] slots, byte[] channels, int offset, int max) {
        if (endSlot <= position) {
            return 0;
        }
        int n = 0;
        while (true) {
            if (candidate == NONE) {
                long nextBlockStart = (block + 1) << BLOCK_BITS;
                if (nextBlockStart >= endSlot) {
                    position = endSlot;
                    return n;
                }
                block++;
                candidate = firstCandidate(block);
                continue;
            }
            if (candidate >= endSlot) {
                position = endSlot;
                return n;
            }
            if (n == max) {
                position = candidate;
                return n;
            }
            long slot = candidate;
            candidate = nextCandidate(slot);
            int channel = detect(slot);
            if (channel >= 0) {
                slots[offset + n] = slot;
                channels[offset + n] = (byte) channel;
                n++;
            }
        }
    }

    /** Bob's channel for a candidate slot, or −1 if the slot does not click. */
    private int detect(long slot) {
        int state = source.state(slot);
        int level = PulseState.intensityLevel(state);
        if (CounterRandom.top53(acceptRandom.at(slot)) >= accept53[level]) {
            return -1;
        }
        long click = clickRandom.at(slot);
        int bobBasis = (int) (click & 1);
        int bit;
        if (bobBasis == PulseState.basis(state) && CounterRandom.top53(click) < photon53[level]) {
            int flip = CounterRandom.top53(errorRandom.at(slot)) < error53 ? 1 : 0;
            bit = PulseState.bit(state) ^ flip;
        } else {
            bit = (int) ((click >>> 1) & 1);
        }
        return bobBasis << 1 | bit;
    }

    private long firstCandidate(long blockIndex) {
        long gap = gap(blockStartRandom.at(blockIndex));
        return gap >= BLOCK_SLOTS ? NONE : (blockIndex << BLOCK_BITS) + gap;
    }

    private long nextCandidate(long slot) {
        long gap = gap(skipRandom.at(slot));
        long next = slot + 1 + gap;
        long blockEnd = ((slot >>> BLOCK_BITS) + 1) << BLOCK_BITS;
        return gap >= BLOCK_SLOTS || next >= blockEnd ? NONE : next;
    }

    /** Number of slots skipped before the next candidate: geometric with parameter p_max. */
    private long gap(long bits) {
        if (maxClickProbability <= 0) {
            return BLOCK_SLOTS;
        }
        double u = (CounterRandom.top53(bits) + 1) * 0x1.0p-53; // (0, 1]
        double gap = Math.log(u) / logOfMiss;
        return gap >= BLOCK_SLOTS ? BLOCK_SLOTS : (long) gap;
    }
}
