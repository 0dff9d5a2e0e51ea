package io.hotaru.sim.physics;

/**
 * Bob's detections on one link, generated range by range at a cost proportional to the number of
 * detections rather than of pulses, and without storing anything per pulse.
 *
 * <p>Slots are cut into blocks of 2^16. Within a block, candidate slots form a Bernoulli process
 * with the largest click probability of any level, p_max, drawn as geometric gaps; a candidate
 * whose pulse has level k is kept with probability p_k/p_max (thinning), so every slot clicks
 * independently with exactly its own probability p_k = 1 − (1 − Y_0)·e^(−η·μ_k). A kept slot is a
 * detection of light with probability (1 − e^(−ημ_k))(1 − Y_0)/p_k, and otherwise a dark count
 * (or a coincidence of light and dark count), which gives a random bit. Bob's basis is a fair coin
 * (passive); with matching bases a photon gives Alice's bit, flipped with probability e_d, and with
 * different bases a random bit. Over a satellite pass η and Y_0 are taken afresh for each block.
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
    private static final long NONE = -1;
    private static final long NO_AFTERPULSE = Long.MAX_VALUE;
    private static final long ONE_24 = 1L << 24;
    private static final long ONE_20 = 1L << 20;

    private static final int HONEST = 0;
    private static final int INTERCEPT = 1;
    private static final int BLINDING = 2;
    private static final int TIME_SHIFT = 3;

    private final LinkModel model;
    private final WeakCoherentSource source;
    private final CounterRandom skipRandom;
    private final CounterRandom decisionRandom;
    private final CounterRandom extraRandom;
    private final CounterRandom afterpulseRandom;
    private final CounterRandom jitterRandom;
    private final double slotSeconds;
    private final boolean constantChannel;

    private final long[] accept24;
    private final long[] photon20;
    private final long error18;
    private double maxClickProbability;
    private double logOfMiss;
    private boolean prepared;

    private final int attackKind;
    private final long intercept32;
    private final double shiftPs;
    /** keep24[late][channel]: efficiency thinning per channel, by time-shift direction. */
    private final long[][] keep24;

    private final boolean thinByEfficiency;
    private final boolean needsExtra;
    private final long deadSlots;
    private final boolean deadTime;
    private final long afterpulse32;
    private final double afterpulseDecaySlots;
    private final boolean afterpulsing;
    private final double jitterPs;

    private final long[] deadUntil = new long[DetectorImperfections.CHANNELS];
    private final long[] afterpulseAt = new long[DetectorImperfections.CHANNELS];
    private long nextAfterpulse = NO_AFTERPULSE;
    private int lastState;
    private double lastShiftPs;

    private long block;
    /** Candidate slots of the current block, in order; grows to at most one per slot of a block. */
    private long[] candidates = new long[256];

    private int candidateCount;
    private int candidateIndex;
    private long position;

    /** A stream of the parameters' fibre link with ideal detectors and no eavesdropper, at slot 0. */
    public DetectionStream(LinkParameters parameters, long linkKey) {
        this(LinkModel.of(parameters), linkKey);
    }

    /** A stream of {@code model}, positioned at slot 0. */
    public DetectionStream(LinkModel model, long linkKey) {
        this.model = model;
        LinkParameters parameters = model.parameters();
        this.source = new WeakCoherentSource(parameters, linkKey);
        this.skipRandom = CounterRandom.of(linkKey, Streams.BOB_GAP);
        this.decisionRandom = CounterRandom.of(linkKey, Streams.BOB_DECISION);
        this.extraRandom = CounterRandom.of(linkKey, Streams.EXTRA);
        this.afterpulseRandom = CounterRandom.of(linkKey, Streams.AFTERPULSE);
        this.jitterRandom = CounterRandom.of(linkKey, Streams.JITTER);
        this.slotSeconds = 1 / parameters.repetitionRateHz();
        this.constantChannel = model.channel().isConstant();
        this.accept24 = new long[parameters.levelCount()];
        this.photon20 = new long[parameters.levelCount()];
        this.error18 = Math.round(parameters.misalignmentError() * 0x1.0p18);

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
        this.needsExtra = attackKind == INTERCEPT || thinByEfficiency;
        double slotNs = slotSeconds * 1e9;
        this.deadSlots = (long) Math.ceil(d.deadTimeNs() / slotNs);
        this.deadTime = !blinding && deadSlots > 0;
        this.afterpulse32 = Math.round(d.afterpulseProbability() * 0x1.0p32);
        this.afterpulsing = !blinding && afterpulse32 > 0;
        this.afterpulseDecaySlots = d.afterpulseDecayNs() / slotNs;
        this.jitterPs = blinding ? 0 : d.timingJitterPs();
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
        java.util.Arrays.fill(deadUntil, 0);
        java.util.Arrays.fill(afterpulseAt, NO_AFTERPULSE);
        nextAfterpulse = NO_AFTERPULSE;
        block = slot >>> BLOCK_BITS;
        prepare(block);
        drawCandidates(block);
        while (candidateIndex < candidateCount && candidates[candidateIndex] < slot) {
            candidateIndex++;
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
        int n = 0;
        while (true) {
            long c = candidateIndex < candidateCount ? candidates[candidateIndex] : NONE;
            long a = nextAfterpulse;
            if (a < endSlot && (c == NONE ? a < (block + 1) << BLOCK_BITS : a <= c)) {
                if (n == max) {
                    position = a;
                    return n;
                }
                emitAfterpulse(a, slots, channels, states, delaysPs, offset + n);
                n++;
                continue;
            }
            if (c == NONE) {
                long nextBlockStart = (block + 1) << BLOCK_BITS;
                if (nextBlockStart >= endSlot) {
                    position = endSlot;
                    return n;
                }
                block++;
                prepare(block);
                drawCandidates(block);
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
            candidateIndex++;
            lastShiftPs = 0;
            int channel = detect(c);
            if (channel >= 0 && admit(c, channel)) {
                int i = offset + n;
                slots[i] = c;
                channels[i] = (byte) channel;
                if (states != null) {
                    states[i] = lastState;
                }
                if (delaysPs != null) {
                    delaysPs[i] = delayPs(c, channel, lastShiftPs);
                }
                n++;
            }
        }
    }

    /**
     * Bob's channel in a candidate slot, or −1 if the candidate is thinned away. The common case, an
     * honest photon detection by matched detectors, is kept small enough to be inlined.
     */
    private int detect(long slot) {
        int state = source.state(slot);
        lastState = state;
        long b = decisionRandom.at(slot);
        int level = state >>> 2;
        if ((b >>> 40) >= accept24[level]) {
            return -1;
        }
        if (attackKind != HONEST || thinByEfficiency || ((b >>> 20) & (ONE_20 - 1)) >= photon20[level]) {
            return detectOther(slot, state, b);
        }
        // Branch-free: the bases match half the time at random, which no predictor learns.
        int bobBasis = (int) (b & 1);
        int match = bobBasis ^ (state >>> 1) & 1 ^ 1;
        int flip = ((b >>> 2) & 0x3FFFF) < error18 ? 1 : 0;
        int bit = (match & ((state & 1) ^ flip)) | ((match ^ 1) & (int) (b >>> 1) & 1);
        return bobBasis << 1 | bit;
    }

    /** Dark counts, attacks and unmatched detectors. */
    private int detectOther(long slot, int state, long b) {
        int level = state >>> 2;
        int bobBasis = (int) (b & 1);
        int randomBit = (int) (b >>> 1) & 1;
        int aliceBasis = (state >>> 1) & 1;
        int aliceBit = state & 1;
        if (attackKind == BLINDING) {
            // Bob clicks only in Eve's basis, with her result: Alice's bit when Eve's basis was hers.
            return bobBasis << 1 | (bobBasis == aliceBasis ? aliceBit : randomBit);
        }
        if (((b >>> 20) & (ONE_20 - 1)) >= photon20[level]) {
            return bobBasis << 1 | randomBit; // dark count
        }
        long x = needsExtra ? extraRandom.at(slot) : 0;
        int bit;
        if (attackKind == INTERCEPT && (x >>> 32) < intercept32) {
            int eveBasis = (int) (x & 1);
            int eveBit = eveBasis == aliceBasis ? aliceBit : (int) (x >>> 1) & 1;
            bit = bobBasis == eveBasis ? eveBit : randomBit;
        } else if (bobBasis == aliceBasis) {
            bit = aliceBit ^ (((b >>> 2) & 0x3FFFF) < error18 ? 1 : 0);
        } else {
            bit = randomBit;
        }
        int channel = bobBasis << 1 | bit;
        if (thinByEfficiency) {
            int late = 0;
            if (attackKind == TIME_SHIFT) {
                late = (int) (x >>> 2) & 1;
                lastShiftPs = late == 1 ? shiftPs : -shiftPs;
            }
            if (((x >>> 8) & (ONE_24 - 1)) >= keep24[late][channel]) {
                return -1;
            }
        }
        return channel;
    }

    /** Whether a click on {@code channel} in {@code slot} happens (not within the dead time); registers it. */
    private boolean admit(long slot, int channel) {
        if (deadTime && slot < deadUntil[channel]) {
            return false;
        }
        registerClick(slot, channel);
        return true;
    }

    private void registerClick(long slot, int channel) {
        if (deadTime) {
            deadUntil[channel] = slot + 1 + deadSlots;
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
            delaysPs[i] = delayPs(slot, channel, 0);
        }
        registerClick(slot, channel);
    }

    private int delayPs(long slot, int channel, double shift) {
        if (jitterPs == 0) {
            return (int) Math.round(shift);
        }
        long j = jitterRandom.at(slot * 4 + channel);
        double u1 = ((j >>> 32) + 1) * 0x1.0p-32;
        double u2 = (j & 0xFFFFFFFFL) * 0x1.0p-32;
        return (int) Math.round(shift + jitterPs * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
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
            accept24[k] = click[k] <= 0 ? 0 : click[k] == max ? ONE_24 : Math.round(click[k] / max * ONE_24);
            photon20[k] = Math.round(r.photonShare()[k] * ONE_20);
        }
        maxClickProbability = max;
        logOfMiss = Math.log1p(-max);
        prepared = true;
    }

    /**
     * Draws the candidate slots of a block. The i-th gap is keyed by (block, i), not by the slot
     * before it, so the draws do not wait on each other and the processor overlaps them.
     */
    private void drawCandidates(long blockIndex) {
        long blockStart = blockIndex << BLOCK_BITS;
        long blockEnd = blockStart + BLOCK_SLOTS;
        long base = blockIndex << BLOCK_BITS;
        long slot = blockStart - 1;
        int m = 0;
        while (true) {
            long gap = gap(skipRandom.at(base + m));
            slot += 1 + gap;
            if (gap >= BLOCK_SLOTS || slot >= blockEnd) {
                break;
            }
            if (m == candidates.length) {
                candidates = java.util.Arrays.copyOf(candidates, Math.min(2 * m, (int) BLOCK_SLOTS));
            }
            candidates[m++] = slot;
        }
        candidateCount = m;
        candidateIndex = 0;
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
