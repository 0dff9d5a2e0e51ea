package io.hotaru.sim.physics;

/**
 * Decides, for honest light (no eavesdropper) with at most three intensity levels (the usual signal,
 * decoy and vacuum), which candidate slots click and what Bob records, with no branch and no table
 * look-up, in short counted loops over the candidates that the JIT compiler runs in vector lanes:
 * per candidate Alice's state word and Bob's decision word (both keyed by slot, as {@link
 * WeakCoherentSource#state} and {@link DetectionStream} key them), with detectors of unequal
 * efficiency a third word, then arithmetic on the words.
 *
 * <p>Alice's level is the number of cumulative level thresholds her word's top 32 bits reach; the
 * level's thinning and photon thresholds, and a channel's efficiency threshold, are selected with
 * all-ones-or-zero masks instead of an indexed load. The results are bit for bit those of {@link
 * WeakCoherentSource#state} and of the one-candidate rules of {@link DetectionStream}. The loops are
 * kept short, and free of two alike operations in one iteration: the C2 compiler of Java 17 unrolls
 * (and so vectorises) only small loop bodies, and alike operations of one iteration confuse its
 * packing of operations into vectors.
 */
final class HonestClickDecider {

    /** Bits of a decision: Alice's packed state in 0..7, Bob's channel in 8..15, the click in 16. */
    static final int CHANNEL_SHIFT = 8;

    static final int CLICK_SHIFT = 16;
    /** Bit 17: the click is light rather than a dark count (thinned by detector efficiency). */
    static final int PHOTON_SHIFT = 17;

    private static final long LOW_24 = (1L << 24) - 1;

    private static final long LOW_12 = (1L << 12) - 1;
    private static final long LOW_20 = (1L << 20) - 1;
    private static final long LOW_31 = (1L << 31) - 1;

    private final long aliceOffset;
    private final long aliceGamma;
    private final long bobOffset;
    private final long bobGamma;
    private final long level1From;
    private final long level2From;
    private final long aliceZBelow;
    private final long bobZBelow;
    private final long errorBelow;
    /** Detector efficiency thinning per channel (24-bit thresholds), or null for matched detectors. */
    private final long[] keep24;

    private final long extraOffset;
    private final long extraGamma;

    /** Thinning threshold of level 0, and the XOR steps to levels 1 and 2 (selected by mask). */
    private long accept0;

    private long acceptStep1;
    private long acceptStep2;
    private long photon0;
    private long photonStep1;
    private long photonStep2;

    /**
     * @param alice Alice's state stream and level thresholds
     * @param decisions Bob's decision stream, keyed by slot
     * @param receiverZ12 Bob's Z share as a 12-bit threshold
     * @param error20 the misalignment error as a 20-bit threshold
     */
    HonestClickDecider(WeakCoherentSource alice, CounterRandom decisions, long receiverZ12, long error20) {
        this(alice, decisions, receiverZ12, error20, null, null);
    }

    /**
     * With detectors of unequal efficiency: a light click on channel c stays with probability
     * {@code keep24[c]}·2⁻²⁴, decided by bits 8..31 of the slot's word of {@code extra} (as {@link
     * DetectionStream} decides it for attacks); dark counts are not thinned.
     */
    HonestClickDecider(
            WeakCoherentSource alice,
            CounterRandom decisions,
            long receiverZ12,
            long error20,
            CounterRandom extra,
            long[] keep24) {
        this.aliceOffset = alice.random().offset();
        this.aliceGamma = alice.random().gamma();
        this.bobOffset = decisions.offset();
        this.bobGamma = decisions.gamma();
        this.level1From = alice.levelThreshold(1);
        this.level2From = alice.levelThreshold(2);
        this.aliceZBelow = alice.zThreshold31();
        this.bobZBelow = receiverZ12;
        this.errorBelow = error20;
        this.keep24 = keep24 == null ? null : keep24.clone();
        this.extraOffset = extra == null ? 0 : extra.offset();
        this.extraGamma = extra == null ? 0 : extra.gamma();
    }

    /** Whether this decider reproduces {@code alice}: at most three levels can be sent. */
    static boolean handles(WeakCoherentSource alice) {
        return alice.lastLevel() <= 2;
    }

    /** The block's per-level thinning and photon thresholds (32-bit, as {@link DetectionStream} has them). */
    void setLevels(long[] accept32, long[] photon32) {
        long a1 = accept32[Math.min(1, accept32.length - 1)];
        long p1 = photon32[Math.min(1, photon32.length - 1)];
        accept0 = accept32[0];
        acceptStep1 = accept0 ^ a1;
        acceptStep2 = a1 ^ accept32[Math.min(2, accept32.length - 1)];
        photon0 = photon32[0];
        photonStep1 = photon0 ^ p1;
        photonStep2 = p1 ^ photon32[Math.min(2, photon32.length - 1)];
    }

    /**
     * {@code decisions[i]} for the candidate {@code slots[i]}, i < n: Alice's state (bits 0..7),
     * Bob's channel (bits 8..15) and 1 in bit 16 if the slot clicks. {@code aliceWords}, {@code
     * bobWords} and {@code states} are scratch space of at least n. Short loops rather than one: the JIT compiler
     * unrolls, and so vectorises, only loops with small bodies.
     */
    void decide(long[] slots, long[] aliceWords, long[] bobWords, long[] states, long[] decisions, int n) {
        words(slots, aliceOffset, aliceGamma, aliceWords, n);
        words(slots, bobOffset, bobGamma, bobWords, n);
        states(aliceWords, states, n);
        clicks(states, bobWords, decisions, n);
        channels(states, bobWords, decisions, n);
        if (keep24 != null) {
            // Alice's and Bob's words are spent: reuse them for the efficiency words and thresholds.
            words(slots, extraOffset, extraGamma, aliceWords, n);
            efficiency(aliceWords, bobWords, decisions, n);
        }
    }

    /**
     * Drops a light click when bits 8..31 of its efficiency word reach its channel's threshold,
     * chosen by the channel's two bits as masks (in a loop of its own, then compared in another).
     */
    private void efficiency(long[] extraWords, long[] thresholds, long[] out, int n) {
        long k0 = keep24[0];
        long k01 = keep24[0] ^ keep24[1];
        long k02 = keep24[0] ^ keep24[2];
        long k0123 = keep24[0] ^ keep24[1] ^ keep24[2] ^ keep24[3];
        for (int i = 0; i < n; i++) {
            long c = out[i] >>> CHANNEL_SHIFT;
            long bit = -(c & 1);
            long basis = -((c >>> 1) & 1);
            thresholds[i] = k0 ^ (k01 & bit) ^ (k02 & basis) ^ (k0123 & bit & basis);
        }
        for (int i = 0; i < n; i++) {
            long d = out[i];
            long drop = (d >>> PHOTON_SHIFT) & ((((extraWords[i] >>> 8) & LOW_24) - thresholds[i]) >>> 63 ^ 1);
            out[i] = d & ~(drop << CLICK_SHIFT);
        }
    }

    /** {@code out[i] = mix64(offset + slots[i]·gamma)}: a {@link CounterRandom} word per slot. */
    private static void words(long[] slots, long offset, long gamma, long[] out, int n) {
        for (int i = 0; i < n; i++) {
            out[i] = CounterRandom.mix64(offset + slots[i] * gamma);
        }
    }

    /**
     * Alice's words, in place, to her packed states (as {@link WeakCoherentSource#stateOf}): the
     * first loop counts the first level threshold, the second adds the second. In one loop the two
     * alike comparisons of an iteration keep the JIT compiler from vectorising it.
     */
    private void states(long[] words, long[] states, int n) {
        long t1 = level1From - 1;
        long az = aliceZBelow - 1;
        for (int i = 0; i < n; i++) {
            long a = words[i];
            states[i] = ((t1 - (a >>> 32)) >>> 63) << 2 | ((az - ((a >>> 1) & LOW_31)) >>> 63) << 1 | (a & 1);
        }
        long t2 = level2From - 1;
        for (int i = 0; i < n; i++) {
            states[i] += ((t2 - (words[i] >>> 32)) >>> 63) << 2;
        }
    }

    /**
     * Thinning and photon decisions from the top 32 bits of Bob's word against the thresholds of
     * Alice's level, selected by masks (all ones when the level is at least 1, resp. 2): the click
     * bit to bit 16, the photon bit to bit 17.
     */
    private void clicks(long[] states, long[] bobWords, long[] out, int n) {
        long acc0 = accept0;
        long acc1 = acceptStep1;
        long acc2 = acceptStep2;
        for (int i = 0; i < n; i++) {
            long level = states[i] >>> 2;
            long v = bobWords[i] >>> 32;
            out[i] = ((v - (acc0 ^ (acc1 & -((level + 1) >>> 1)) ^ (acc2 & -(level >>> 1)))) >>> 63) << CLICK_SHIFT;
        }
        long ph0 = photon0;
        long ph1 = photonStep1;
        long ph2 = photonStep2;
        for (int i = 0; i < n; i++) {
            long level = states[i] >>> 2;
            long v = bobWords[i] >>> 32;
            out[i] |= ((v - (ph0 ^ (ph1 & -((level + 1) >>> 1)) ^ (ph2 & -(level >>> 1)))) >>> 63) << PHOTON_SHIFT;
        }
    }

    /**
     * Bob's basis (bits 0..11 of his word), a misalignment error (bits 12..31) and, for a dark count
     * or a basis mismatch, a random bit (bit 12); adds Alice's state and Bob's channel.
     */
    private void channels(long[] states, long[] bobWords, long[] out, int n) {
        long bz = bobZBelow;
        long eb = errorBelow;
        for (int i = 0; i < n; i++) {
            long state = states[i];
            long w = bobWords[i];
            long d = out[i];
            long bobBasis = (((w & LOW_12) - bz) >>> 63) ^ 1;
            long keep = (d >>> PHOTON_SHIFT) & (bobBasis ^ (state >>> 1) ^ 1) & 1;
            long flip = (((w >>> 12) & LOW_20) - eb) >>> 63;
            long bit = ((keep & (state ^ flip)) | ((keep ^ 1) & (w >>> 12))) & 1;
            out[i] = d | state | (bobBasis << 1 | bit) << CHANNEL_SHIFT;
        }
    }
}
