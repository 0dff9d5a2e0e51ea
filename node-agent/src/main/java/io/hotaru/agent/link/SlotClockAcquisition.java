package io.hotaru.agent.link;

/**
 * Finds the receiver clock's offset from the link's slot clock by cross-correlating the receiver's
 * time tags with the transmitter's revealed {@link SyncPattern}, coarse then fine.
 *
 * <p>Fine: the tags sit on a comb of one slot period, so the circular mean of (tag mod period) gives
 * the offset within a slot. Coarse: for every whole-slot shift k in the search window the
 * correlation is the number of tags that land on a vacuum slot; the true shift has almost none (dark
 * counts only) while a wrong one has about the vacuum share, so the smallest count wins, provided it
 * is clearly below the next smallest. The clock's rate error must move the phase by much less than a
 * slot within one window; {@link #acquire(long[], int, long[], int, double, double, SyncPattern,
 * double)} measures two windows apart and derives the rate from the two offsets.
 *
 * <p>Pure: bits in, bits out.
 */
public final class SlotClockAcquisition {

    /**
     * An offset estimate.
     *
     * @param offsetPs the receiver clock's reading at link time 0 under the window's rate
     * @param vacuumHits tags on vacuum slots at the best shift
     * @param runnerUpHits the same at the second-best shift
     * @param tags tags used
     */
    public record Offset(double offsetPs, int vacuumHits, int runnerUpHits, int tags) {

        /** Whether the best shift stands out: at most a quarter of the runner-up's hits, and those at least 8. */
        public boolean unambiguous() {
            return runnerUpHits >= 8 && vacuumHits * 4 <= runnerUpHits;
        }
    }

    private SlotClockAcquisition() {}

    /**
     * The offset over one window of tags, searching whole-slot shifts around {@code centrePs} within
     * ± {@code windowPs}.
     *
     * @param rateError the receiver clock's rate error assumed (0 when unknown)
     */
    public static Offset offset(
            long[] tagsPs,
            int count,
            double slotPeriodPs,
            double rateError,
            double centrePs,
            double windowPs,
            SyncPattern pattern) {
        if (count == 0) {
            return new Offset(Double.NaN, 0, 0, 0);
        }
        double w = 2 * Math.PI / slotPeriodPs;
        double sin = 0;
        double cos = 0;
        for (int i = 0; i < count; i++) {
            double t = tagsPs[i] / (1 + rateError);
            sin += Math.sin(w * (t % slotPeriodPs));
            cos += Math.cos(w * (t % slotPeriodPs));
        }
        double phase = Math.atan2(sin, cos) / w; // offset within a slot, in (−P/2, P/2]
        long[] slotOfShiftZero = new long[count];
        for (int i = 0; i < count; i++) {
            slotOfShiftZero[i] = Math.round((tagsPs[i] - phase * (1 + rateError)) / (1 + rateError) / slotPeriodPs);
        }
        long centreShift = Math.round((centrePs - phase) / slotPeriodPs);
        long span = (long) Math.ceil(windowPs / slotPeriodPs);
        int best = Integer.MAX_VALUE;
        int second = Integer.MAX_VALUE;
        long bestShift = centreShift;
        for (long k = centreShift - span; k <= centreShift + span; k++) {
            int hits = 0;
            for (int i = 0; i < count && hits < second; i++) {
                if (pattern.isVacuum(slotOfShiftZero[i] - k)) {
                    hits++;
                }
            }
            if (hits < best) {
                second = best;
                best = hits;
                bestShift = k;
            } else if (hits < second) {
                second = hits;
            }
        }
        return new Offset(phase + bestShift * slotPeriodPs, best, second, count);
    }

    /**
     * Offset and rate from two windows of tags: the first searched over ± {@code maxOffsetPs}, the
     * second around the first's offset within what a rate error of ± {@code maxRateError} could have
     * moved it, plus a slot.
     *
     * @return a slot clock for the tags after the second window, or null if either window is
     *     ambiguous
     */
    public static SlotClock acquire(
            long[] first,
            int firstCount,
            long[] second,
            int secondCount,
            double slotPeriodPs,
            double maxOffsetPs,
            SyncPattern pattern,
            double maxRateError) {
        Offset a = offset(first, firstCount, slotPeriodPs, 0, 0, maxOffsetPs, pattern);
        if (!a.unambiguous() || secondCount == 0) {
            return null;
        }
        // A window's offset holds at its mean time: T = t(1 + d) + O reads O + d·t there.
        double firstMean = mean(first, firstCount);
        double gap = mean(second, secondCount) - firstMean;
        Offset b =
                offset(second, secondCount, slotPeriodPs, 0, a.offsetPs(), maxRateError * gap + slotPeriodPs, pattern);
        if (!b.unambiguous()) {
            return null;
        }
        return clockFrom(a, firstMean, b, firstMean + gap, slotPeriodPs);
    }

    /**
     * The clock through two unambiguous offsets: a window's offset holds at its mean time, so the
     * rate is their difference over the time between the windows' means.
     */
    public static SlotClock clockFrom(
            Offset first, double firstMeanPs, Offset second, double secondMeanPs, double slotPeriodPs) {
        double rate = (second.offsetPs() - first.offsetPs()) / (secondMeanPs - firstMeanPs);
        double offset = first.offsetPs() - rate * firstMeanPs;
        return SlotClock.of(slotPeriodPs, offset, rate);
    }

    private static double mean(long[] values, int count) {
        double sum = 0;
        for (int i = 0; i < count; i++) {
            sum += values[i];
        }
        return sum / count;
    }
}
