package io.hotaru.sim.physics;

/**
 * Bob's detections on one link, generated range by range at a cost proportional to the number of
 * detections rather than of pulses, and without storing anything per pulse.
 *
 * <p>Slots are cut into blocks of 2^16. Within a block, candidate slots form a Bernoulli process
 * with the largest click probability of any level, p_max, drawn as geometric gaps ⌊E/λ⌋ with E
 * exponential (a {@link ExponentialZiggurat}, one table look-up for most gaps) and λ = −ln(1 −
 * p_max); a candidate whose pulse has level k is kept with probability p_k/p_max (thinning), so
 * every slot clicks independently with exactly its own probability p_k = 1 − (1 − Y_0)·e^(−η·μ_k).
 * A kept slot is a detection of light with probability (1 − e^(−ημ_k))(1 − Y_0)/p_k, and otherwise a
 * dark count (or a coincidence of light and dark count), which gives a random bit. Bob's basis is
 * passive: Z with the parameters' receiver probability; with matching bases a photon gives Alice's
 * bit, flipped with probability e_d, and with different bases a random bit. Over a satellite pass η
 * and Y_0 are taken afresh for each block.
 *
 * <p>The clicks of a batch of blocks (one over a pass; about a thousand candidates' worth on a
 * constant channel) are computed when the batch is entered, in branch-free loops over primitive
 * arrays that the JIT compiler vectorises ({@link CandidateSampler}, {@link HonestClickDecider}),
 * with the {@link DeadTime} applied as they are compacted; {@link #next} copies them out in bulk,
 * or, with afterpulses (memory that interleaves with the clicks), applies both click by click.
 *
 * <p>The {@link LinkModel}'s attack changes the click probabilities per level (photon-number
 * splitting, blinding) or what a detected photon says (intercept-resend); its detector
 * imperfections thin the clicks per channel (efficiency mismatch, time-shift), suppress clicks
 * within the dead time, add afterpulses and jitter the click times.
 *
 * <p>Every decision comes from {@link CounterRandom} streams keyed by the block or slot, so the
 * detections in any slot range are a pure function of (link key, model): generating [0, N) in one
 * call or in any chunks gives the same events bit for bit, and so does a {@link #seek} when the
 * detectors have no dead time and no afterpulsing (which carry memory from earlier slots; a seek
 * starts them afresh).
 *
 * <p>Not thread-safe: one instance per reader.
 */
public final class DetectionStream {

    static final int BLOCK_BITS = 16;
    private static final long BLOCK_SLOTS = 1L << BLOCK_BITS;
    private static final long NO_AFTERPULSE = Long.MAX_VALUE;
    private static final long ONE_32 = 1L << 32;
    private static final long ONE_24 = 1L << 24;
    private static final long ONE_20 = 1L << 20;
    private static final long ONE_12 = 1L << 12;

    private static final int HONEST = 0;
    private static final int INTERCEPT = 1;
    private static final int BLINDING = 2;
    private static final int TIME_SHIFT = 3;

    private final LinkModel model;
    private final WeakCoherentSource source;
    private final CandidateSampler sampler;
    private final CounterRandom decisionRandom;
    private final CounterRandom extraRandom;
    private final CounterRandom afterpulseRandom;
    private final CounterRandom jitterRandom;
    private final double slotSeconds;
    private final boolean constantChannel;

    /**
     * Per level, thresholds for the top 32 bits u of a candidate's decision word: u below photon32
     * is a detection of light, u below accept32 a click at all (thinning), the rest no click.
     */
    private final long[] accept32;

    private final long[] photon32;
    /** Decision word bits 12..31 below this: a misalignment error. */
    private final long error20;
    /** Decision word bits 0..11 below this: Bob's photon goes to his Z detectors. */
    private final long receiverZ12;

    private double maxClickProbability;

    private boolean prepared;

    private final int attackKind;
    private final long intercept32;
    private final double shiftPs;
    /** keep24[late][channel]: efficiency thinning per channel, by time-shift direction. */
    private final long[][] keep24;

    private final boolean thinByEfficiency;
    /** Honest light on matched detectors and at most three levels: the branch-free decider, else null. */
    private final HonestClickDecider honest;

    private final boolean needsExtra;
    private final long deadSlots;
    private final boolean deadTime;
    private final long afterpulse32;
    private final double afterpulseDecaySlots;
    private final boolean afterpulsing;
    private final double jitterPs;
    /** Box–Muller from one word per click, round(shift + σ·√(−2 ln u₁)·cos(2π u₂)); null without jitter. */
    private final GaussianJitter jitter;

    private final DeadTime dead;
    private final long[] afterpulseAt = new long[DetectorImperfections.CHANNELS];
    private long nextAfterpulse = NO_AFTERPULSE;

    /** The current batch of blocks ends before this block. */
    private long batchEnd;
    /** Blocks per batch. */
    private int batchBlocks = 1;
    /** The batch's clicks (after dead time unless afterpulsing), in slot order: slot, channel, Alice's state. */
    private long[] clickSlots = new long[256];

    private byte[] clickChannels = new byte[256];
    private int[] clickStates = new int[256];
    /** Time shift of each click: −1 early, +1 late, 0 none. */
    private byte[] clickShifts = new byte[256];

    private int clickCount;
    private int clickIndex;
    private long position;

    /** The candidates' decisions, as {@link HonestClickDecider} packs them. */
    private long[] decisionWords = new long[256];

    private long[] aliceWords = new long[256];
    private long[] bobWords = new long[256];
    private long[] aliceStates = new long[256];
    /** Candidates a batch of blocks aims at. */
    private static final double BATCH_CANDIDATES = 1024;
    /** At most this many blocks per batch (2^22 slots), for links with hardly any clicks. */
    private static final int MAX_BATCH_BLOCKS = 64;

    /** A stream of the parameters' fibre link with ideal detectors and no eavesdropper, at slot 0. */
    public DetectionStream(LinkParameters parameters, long linkKey) {
        this(LinkModel.of(parameters), linkKey);
    }

    /** A stream of {@code model}, positioned at slot 0. */
    public DetectionStream(LinkModel model, long linkKey) {
        this.model = model;
        LinkParameters parameters = model.parameters();
        this.source = new WeakCoherentSource(parameters, linkKey);
        this.sampler = new CandidateSampler(linkKey);
        this.decisionRandom = CounterRandom.of(linkKey, Streams.BOB_DECISION);
        this.extraRandom = CounterRandom.of(linkKey, Streams.EXTRA);
        this.afterpulseRandom = CounterRandom.of(linkKey, Streams.AFTERPULSE);
        this.jitterRandom = CounterRandom.of(linkKey, Streams.JITTER);
        this.slotSeconds = 1 / parameters.repetitionRateHz();
        this.constantChannel = model.channel().isConstant();
        this.accept32 = new long[parameters.levelCount()];
        this.photon32 = new long[parameters.levelCount()];
        this.error20 = Math.round(parameters.misalignmentError() * ONE_20);
        this.receiverZ12 = Math.round(parameters.receiverZBasisProbability() * ONE_12);

        Attack attack = model.attack();
        DetectorImperfections d = model.detectors();
        boolean blinding = attack instanceof Attack.DetectorBlinding;
        this.attackKind = attack instanceof Attack.InterceptResend
                ? INTERCEPT
                : blinding ? BLINDING : attack instanceof Attack.TimeShift ? TIME_SHIFT : HONEST;
        this.intercept32 = attack instanceof Attack.InterceptResend ir ? Math.round(ir.fraction() * 0x1.0p32) : 0;
        double edge = 1;
        if (attack instanceof Attack.TimeShift ts) {
            this.shiftPs = ts.shiftPs();
            edge = ts.edgeEfficiency();
        } else {
            this.shiftPs = 0;
        }
        this.keep24 = new long[2][DetectorImperfections.CHANNELS];
        for (int ch = 0; ch < DetectorImperfections.CHANNELS; ch++) {
            int bit = ch & 1;
            // A late pulse hits the edge of the bit-0 detectors' gates, an early one the bit-1 detectors'.
            keep24[0][ch] = Math.round(d.relativeEfficiency(ch) * (bit == 1 ? edge : 1) * ONE_24);
            keep24[1][ch] = Math.round(d.relativeEfficiency(ch) * (bit == 0 ? edge : 1) * ONE_24);
        }
        // A blinded detector is a linear photodiode: Eve's trigger decides, its imperfections do not show.
        this.thinByEfficiency = !blinding && (!d.matched() || attackKind == TIME_SHIFT);
        this.honest = attackKind == HONEST && HonestClickDecider.handles(source)
                ? new HonestClickDecider(
                        source, decisionRandom, receiverZ12, error20, extraRandom, thinByEfficiency ? keep24[0] : null)
                : null;
        this.needsExtra = attackKind == INTERCEPT || thinByEfficiency;
        double slotNs = slotSeconds * 1e9;
        this.deadSlots = (long) Math.ceil(d.deadTimeNs() / slotNs);
        this.deadTime = !blinding && deadSlots > 0;
        this.dead = new DeadTime(deadSlots);
        this.afterpulse32 = Math.round(d.afterpulseProbability() * 0x1.0p32);
        this.afterpulsing = !blinding && afterpulse32 > 0;
        this.afterpulseDecaySlots = d.afterpulseDecayNs() / slotNs;
        this.jitterPs = blinding ? 0 : d.timingJitterPs();
        this.jitter = jitterPs == 0 ? null : new GaussianJitter(jitterPs);
        seek(0);
    }

    public LinkModel model() {
        return model;
    }

    /** The largest click probability of any level in the current block: the candidate rate. */
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
        dead.reset();
        java.util.Arrays.fill(afterpulseAt, NO_AFTERPULSE);
        nextAfterpulse = NO_AFTERPULSE;
        enterBlock(slot >>> BLOCK_BITS, slot);
        while (clickIndex < clickCount && clickSlots[clickIndex] < slot) {
            clickIndex++;
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
        return next(endSlot, slots, channels, null, null, offset, max);
    }

    /**
     * As {@link #next(long, long[], byte[], int, int)}, and also Alice's state in the slot (packed as
     * in {@link PulseState}; for an afterpulse, the state of the slot it falls in) and the click's
     * time offset from the slot's nominal time in picoseconds (jitter, time shift).
     *
     * @param states out, or null
     * @param delaysPs out, or null
     */
    public int next(long endSlot, long[] slots, byte[] channels, int[] states, int[] delaysPs, int offset, int max) {
        if (endSlot <= position) {
            return 0;
        }
        if (!afterpulsing) {
            // Dead time without afterpulses was applied when the batch was entered.
            return copyOut(endSlot, slots, channels, states, delaysPs, offset, max);
        }
        int n = nextClickByClick(endSlot, slots, channels, states, delaysPs, offset, max);
        if (delaysPs != null) {
            // The delays in a loop of their own: each is independent of the others, so they overlap.
            for (int i = offset; i < offset + n; i++) {
                delaysPs[i] = delayPs(slots[i], channels[i], delaysPs[i] * shiftPs);
            }
        }
        return n;
    }

    /**
     * The clicks with dead time and afterpulses applied, one by one; {@code delaysPs} receives only
     * each click's time-shift sign (−1, 0, 1), which {@link #next} turns into its delay.
     */
    private int nextClickByClick(
            long endSlot, long[] slots, byte[] channels, int[] states, int[] delaysPs, int offset, int max) {
        int n = 0;
        while (true) {
            long c = clickIndex < clickCount ? clickSlots[clickIndex] : -1;
            long a = nextAfterpulse;
            if (a < endSlot && (c < 0 ? a < batchEnd << BLOCK_BITS : a <= c)) {
                if (n == max) {
                    position = a;
                    return n;
                }
                emitAfterpulse(a, slots, channels, states, delaysPs, offset + n);
                n++;
                continue;
            }
            if (c < 0) {
                long nextBlockStart = batchEnd << BLOCK_BITS;
                if (nextBlockStart >= endSlot) {
                    position = endSlot;
                    return n;
                }
                enterBlock(batchEnd, batchEnd << BLOCK_BITS);
                continue;
            }
            if (c >= endSlot) {
                position = endSlot;
                return n;
            }
            if (n == max) {
                position = c;
                return n;
            }
            int k = clickIndex++;
            int channel = clickChannels[k];
            if (!deadTime || dead.admits(c, channel)) {
                registerClick(c, channel);
                write(k, slots, channels, states, delaysPs, offset + n);
                n++;
            }
        }
    }

    /** {@link #next} without afterpulses: the batch's clicks go out as they are. */
    private int copyOut(
            long endSlot, long[] slots, byte[] channels, int[] states, int[] delaysPs, int offset, int max) {
        int n = 0;
        while (true) {
            int from = clickIndex;
            int to = clickCount;
            if (to > from && clickSlots[to - 1] >= endSlot) {
                while (to > from && clickSlots[to - 1] >= endSlot) {
                    to--;
                }
            }
            int take = Math.min(to - from, max - n);
            // Plain loops (the compiler makes them block copies); physics does not touch System.
            for (int i = 0; i < take; i++) {
                slots[offset + n + i] = clickSlots[from + i];
                channels[offset + n + i] = clickChannels[from + i];
            }
            if (states != null) {
                for (int i = 0; i < take; i++) {
                    states[offset + n + i] = clickStates[from + i];
                }
            }
            if (delaysPs != null) {
                for (int i = 0; i < take; i++) {
                    delaysPs[offset + n + i] = delayPs(from + i);
                }
            }
            n += take;
            clickIndex = from + take;
            if (clickIndex < to) { // stopped at max
                position = clickSlots[clickIndex];
                return n;
            }
            long nextBlockStart = batchEnd << BLOCK_BITS;
            if (clickIndex < clickCount || nextBlockStart >= endSlot) {
                position = endSlot;
                return n;
            }
            enterBlock(batchEnd, batchEnd << BLOCK_BITS);
        }
    }

    private void write(int k, long[] slots, byte[] channels, int[] states, int[] delaysPs, int i) {
        slots[i] = clickSlots[k];
        channels[i] = clickChannels[k];
        if (states != null) {
            states[i] = clickStates[k];
        }
        if (delaysPs != null) {
            delaysPs[i] = clickShifts[k];
        }
    }

    private void registerClick(long slot, int channel) {
        if (deadTime) {
            dead.register(slot, channel);
        }
        if (afterpulsing) {
            long w = afterpulseRandom.at(slot * 4 + channel);
            long at = NO_AFTERPULSE;
            if ((w >>> 32) < afterpulse32) {
                double u = ((w & 0xFFFFFFFFL) + 1) * 0x1.0p-32;
                at = slot + 1 + deadSlots + (long) (-Math.log(u) * afterpulseDecaySlots);
            }
            // A click empties the channel's traps: it replaces any afterpulse still pending.
            afterpulseAt[channel] = at;
            long min = NO_AFTERPULSE;
            for (long t : afterpulseAt) {
                min = Math.min(min, t);
            }
            nextAfterpulse = min;
        }
    }

    private void emitAfterpulse(long slot, long[] slots, byte[] channels, int[] states, int[] delaysPs, int i) {
        int channel = 0;
        while (afterpulseAt[channel] != slot) {
            channel++;
        }
        slots[i] = slot;
        channels[i] = (byte) channel;
        if (states != null) {
            states[i] = source.state(slot);
        }
        if (delaysPs != null) {
            delaysPs[i] = 0;
        }
        registerClick(slot, channel);
    }

    private int delayPs(int k) {
        return delayPs(clickSlots[k], clickChannels[k], clickShifts[k] * shiftPs);
    }

    private int delayPs(long slot, int channel, double shift) {
        if (jitterPs == 0) {
            return (int) Math.round(shift);
        }
        return jitter.delayPs(jitterRandom.at(slot * 4 + channel), shift);
    }

    /**
     * Makes the batch of blocks from {@code blockIndex} on current and computes its clicks: one block
     * over a pass, and for a constant channel as many as give about {@link #BATCH_CANDIDATES}
     * candidates, so that the vectorised loops run long. Blocks are drawn independently, so the
     * batching changes no event. Without afterpulses the dead time is applied here, to the clicks
     * from {@code fromSlot} on (a seek starts it afresh there), with the state the previous batch
     * left: {@link #next} then only copies the clicks out.
     */
    private void enterBlock(long blockIndex, long fromSlot) {
        prepare(blockIndex);
        batchEnd = blockIndex + batchBlocks;
        drawClicks(blockIndex, fromSlot);
    }

    /** Click probabilities of the block: fixed for a constant channel, afresh per block over a pass. */
    private void prepare(long blockIndex) {
        if (prepared && constantChannel) {
            return;
        }
        double t = constantChannel ? 0 : ((blockIndex << BLOCK_BITS) + BLOCK_SLOTS / 2) * slotSeconds;
        LinkModel.LevelResponse r = model.responseAt(t);
        double[] click = r.click();
        double max = 0;
        for (double p : click) {
            max = Math.max(max, p);
        }
        for (int k = 0; k < click.length; k++) {
            double accept = click[k] <= 0 ? 0 : click[k] == max ? 1 : click[k] / max;
            accept32[k] = accept == 1 ? ONE_32 : Math.round(accept * ONE_32);
            photon32[k] = Math.min(accept32[k], Math.round(accept * r.photonShare()[k] * ONE_32));
        }
        if (honest != null) {
            honest.setLevels(accept32, photon32);
        }
        maxClickProbability = max;
        double expected = BLOCK_SLOTS * max;
        if (max > 0) {
            sampler.setRate(max);
        }
        batchBlocks = constantChannel ? (int) Math.max(1, Math.min(MAX_BATCH_BLOCKS, BATCH_CANDIDATES / expected)) : 1;
        prepared = true;
    }

    /**
     * Draws the candidate slots of the batch's blocks ({@link CandidateSampler}) and decides each
     * one's click. Every candidate's click is written and the write index advances only if it
     * clicked, so thinning costs no branch.
     */
    private void drawClicks(long blockIndex, long fromSlot) {
        clickIndex = 0;
        if (maxClickProbability <= 0) {
            clickCount = 0;
            return;
        }
        int count = 0;
        for (long b = blockIndex; b < batchEnd; b++) {
            count = sampler.draw(b << BLOCK_BITS, count, maxClicks());
        }
        if (clickSlots.length < count + 1) {
            growTo(count + 1);
        }
        if (honest != null) {
            clickCount = drawPlainClicks(count, fromSlot);
        } else {
            clickCount = drawOtherClicks(count);
            if (deadTime && !afterpulsing) {
                int first = firstAtOrAfter(clickSlots, clickCount, fromSlot);
                clickCount = dead.filter(clickSlots, clickChannels, clickStates, clickShifts, first, clickCount);
            }
        }
    }

    /** The first index below {@code count} whose slot is at least {@code slot} (the slots ascend). */
    private static int firstAtOrAfter(long[] slots, int count, long slot) {
        int i = 0;
        while (i < count && slots[i] < slot) {
            i++;
        }
        return i;
    }

    /**
     * Honest light and at most three levels, the common case: every candidate's decision ({@link
     * HonestClickDecider}, branch-free and vectorised), then the clicks copied out, the write index
     * advancing by the click bit; under dead time without afterpulses, from {@code fromSlot} on and
     * then through {@link DeadTime#compactClicks}.
     */
    private int drawPlainClicks(int count, long fromSlot) {
        if (decisionWords.length < count) {
            decisionWords = new long[clickSlots.length];
            aliceWords = new long[clickSlots.length];
            bobWords = new long[clickSlots.length];
            aliceStates = new long[clickSlots.length];
        }
        long[] candidateSlots = sampler.candidates();
        long[] decided = decisionWords;
        honest.decide(candidateSlots, aliceWords, bobWords, aliceStates, decided, count);
        boolean applyDeadTime = deadTime && !afterpulsing;
        int first = applyDeadTime ? firstAtOrAfter(candidateSlots, count, fromSlot) : 0;
        long[] slots = clickSlots;
        byte[] channels = clickChannels;
        int[] states = clickStates;
        int m = 0;
        for (int i = first; i < count; i++) {
            long d = decided[i];
            slots[m] = candidateSlots[i];
            channels[m] = (byte) (d >>> HonestClickDecider.CHANNEL_SHIFT);
            states[m] = (int) d & 0xFF;
            m += (int) (d >>> HonestClickDecider.CLICK_SHIFT) & 1;
        }
        return applyDeadTime ? dead.compactClicks(slots, channels, states, m) : m;
    }

    /** Room for a click in every slot of the batch, and one more for the branch-free writes. */
    private int maxClicks() {
        return (int) Math.min(Integer.MAX_VALUE - 8, batchBlocks * BLOCK_SLOTS + 1);
    }

    /** Attacks, or more than three levels: the candidates' clicks one by one through {@link #decide}. */
    private int drawOtherClicks(int count) {
        long[] candidates = sampler.candidates();
        int m = 0;
        for (int i = 0; i < count; i++) {
            m += decide(candidates[i], m);
        }
        return m;
    }

    /**
     * Attacks, or more than three levels: as {@link HonestClickDecider} decides, with Eve and efficiency
     * thinning; writes candidate {@code slot}'s click at {@code m} and returns 1 if it clicked.
     */
    private int decide(long slot, int m) {
        int state = source.state(slot);
        long w = decisionRandom.at(slot);
        int level = state >>> 2;
        long u = w >>> 32;
        if (u >= accept32[level]) {
            return 0;
        }
        int bobBasis = (w & (ONE_12 - 1)) < receiverZ12 ? 0 : 1;
        int randomBit = (int) (w >>> 12) & 1;
        int aliceBasis = (state >>> 1) & 1;
        int aliceBit = state & 1;
        int shift = 0;
        int channel;
        if (attackKind == BLINDING) {
            // Bob clicks only in Eve's basis, with her result: Alice's bit when Eve's basis was hers.
            channel = bobBasis << 1 | (bobBasis == aliceBasis ? aliceBit : randomBit);
        } else if (u >= photon32[level]) {
            channel = bobBasis << 1 | randomBit; // dark count
        } else {
            long x = needsExtra ? extraRandom.at(slot) : 0;
            int bit;
            if (attackKind == INTERCEPT && (x >>> 32) < intercept32) {
                int eveBasis = (int) (x & 1);
                int eveBit = eveBasis == aliceBasis ? aliceBit : (int) (x >>> 1) & 1;
                bit = bobBasis == eveBasis ? eveBit : randomBit;
            } else if (bobBasis == aliceBasis) {
                bit = aliceBit ^ (((w >>> 12) & (ONE_20 - 1)) < error20 ? 1 : 0);
            } else {
                bit = randomBit;
            }
            channel = bobBasis << 1 | bit;
            if (thinByEfficiency) {
                int late = 0;
                if (attackKind == TIME_SHIFT) {
                    late = (int) (x >>> 2) & 1;
                    shift = late == 1 ? 1 : -1;
                }
                if (((x >>> 8) & (ONE_24 - 1)) >= keep24[late][channel]) {
                    return 0;
                }
            }
        }
        clickSlots[m] = slot;
        clickChannels[m] = (byte) channel;
        clickStates[m] = state;
        clickShifts[m] = (byte) shift;
        return 1;
    }

    /** At most one click per slot, plus the slot the branch-free loop writes before it knows. */
    private void growTo(int size) {
        int n = Math.max(size, Math.min(2 * clickSlots.length, maxClicks()));
        clickSlots = java.util.Arrays.copyOf(clickSlots, n);
        clickChannels = java.util.Arrays.copyOf(clickChannels, n);
        clickStates = java.util.Arrays.copyOf(clickStates, n);
        clickShifts = java.util.Arrays.copyOf(clickShifts, n);
    }
}
