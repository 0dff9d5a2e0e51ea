package io.hotaru.sim.physics;

import java.util.Arrays;

/**
 * The detectors' dead time: after a click a channel stays blind for {@code deadSlots} slots. A
 * click in slot s on channel c counts only if s is at or past the end of c's dead time, which it
 * then moves to s + 1 + deadSlots. {@link DetectionStream} applies it click by click when
 * afterpulses interleave with the clicks, and to a whole batch of clicks in one pass otherwise.
 */
final class DeadTime {
    private final long deadSlots;
    /** Per channel, the first slot at which it can click again. */
    private final long[] until = new long[DetectorImperfections.CHANNELS];

    DeadTime(long deadSlots) {
        this.deadSlots = deadSlots;
    }

    /** Every channel ready: a seek starts the dead time afresh. */
    void reset() {
        Arrays.fill(until, 0);
    }

    /** Whether {@code channel} can click in {@code slot}. */
    boolean admits(long slot, int channel) {
        return slot >= until[channel];
    }

    /** Registers a click of {@code channel} in {@code slot}. */
    void register(long slot, int channel) {
        until[channel] = slot + 1 + deadSlots;
    }

    /**
     * The clicks of {@link HonestClickDecider} decisions {@code decided[first..count)} of candidate
     * {@code candidates[i]} that the dead time lets through, written from index 0 of {@code slots},
     * {@code channels} and {@code states} (each with room for count − first + 1); returns how many.
     * Branch-free, as {@link DetectionStream} compacts the decisions without dead time: every
     * candidate is written and the write index advances by its click bit, and the channel's dead-time
     * end moves by arithmetic, not by a branch.
     */
    int compactDecided(
            long[] candidates, long[] decided, int first, int count, long[] slots, byte[] channels, int[] states) {
        long[] end = until;
        long next = deadSlots + 1;
        int m = 0;
        for (int i = first; i < count; i++) {
            long d = decided[i];
            long slot = candidates[i];
            int channel = (int) (d >>> HonestClickDecider.CHANNEL_SHIFT) & 3;
            long e = end[channel];
            long click = (d >>> HonestClickDecider.CLICK_SHIFT) & ((e - slot - 1) >>> 63);
            end[channel] = e + ((slot + next - e) & -click);
            slots[m] = slot;
            channels[m] = (byte) channel;
            states[m] = (int) d & 0xFF;
            m += (int) click;
        }
        return m;
    }

    /**
     * Keeps, in place and in order, the clicks of {@code [first, count)} that the dead time lets
     * through, moving them to the front of the four arrays; returns how many.
     */
    int filter(long[] slots, byte[] channels, int[] states, byte[] shifts, int first, int count) {
        int m = 0;
        for (int i = first; i < count; i++) {
            long slot = slots[i];
            int channel = channels[i];
            if (admits(slot, channel)) {
                register(slot, channel);
                slots[m] = slot;
                channels[m] = (byte) channel;
                states[m] = states[i];
                shifts[m] = shifts[i];
                m++;
            }
        }
        return m;
    }
}
