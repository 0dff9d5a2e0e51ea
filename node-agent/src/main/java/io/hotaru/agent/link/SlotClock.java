package io.hotaru.agent.link;

/**
 * Maps the receiver's time tags to the link's slot clock and follows the receiver clock's drift.
 *
 * <p>Model: a tag at link time t reads T = t·(1 + d) + O on the receiver's clock, with an offset O
 * and a rate error d (a few ppm). {@link #linkTimePs} inverts it. {@link #track} is a
 * second-order phase-locked loop on the detections themselves: their distance to the nearest slot
 * centre, averaged over a batch on the circle of one slot period, is the phase error; it corrects O
 * at once by a fraction {@code phaseGain} and d by {@code rateGain} of it per elapsed time (turning
 * about the present, so the mapping does not jump), and a steady drift leaves no lasting phase error. Phase errors beyond half a slot cannot be told from
 * the next slot, so the batches tracked must be short enough that the rate error left after
 * acquisition moves the phase less than that in one batch.
 *
 * <p>Pure and not thread-safe.
 */
public final class SlotClock {

    private final double slotPeriodPs;
    private final double phaseGain;
    private final double rateGain;
    private double offsetPs;
    private double rate;
    private double lastTrackedPs = Double.NaN;
    private double lastPhaseErrorPs;
    private long updates;

    /**
     * @param offsetPs O, the receiver clock's reading at link time 0
     * @param rateError d, e.g. 5e-6 for 5 ppm fast
     */
    public SlotClock(double slotPeriodPs, double offsetPs, double rateError, double phaseGain, double rateGain) {
        if (!(slotPeriodPs > 0) || !(phaseGain >= 0 && phaseGain <= 1) || !(rateGain >= 0 && rateGain <= 1)) {
            throw new IllegalArgumentException("slot clock: period must be > 0 and gains in [0, 1]");
        }
        this.slotPeriodPs = slotPeriodPs;
        this.offsetPs = offsetPs;
        this.rate = rateError;
        this.phaseGain = phaseGain;
        this.rateGain = rateGain;
    }

    /** A clock with the default loop gains (0.5 on the phase, 0.1 on the rate). */
    public static SlotClock of(double slotPeriodPs, double offsetPs, double rateError) {
        return new SlotClock(slotPeriodPs, offsetPs, rateError, 0.5, 0.1);
    }

    /** The link time of receiver time {@code receiverPs}. */
    public long linkTimePs(long receiverPs) {
        return Math.round((receiverPs - offsetPs) / (1 + rate));
    }

    /** Rewrites receiver timestamps as link times, in place. */
    public void toLinkTime(long[] timestampsPs, int count) {
        for (int i = 0; i < count; i++) {
            timestampsPs[i] = Math.max(0, linkTimePs(timestampsPs[i]));
        }
    }

    /**
     * Updates the offset and rate from a batch of receiver timestamps (before {@link #toLinkTime}).
     *
     * @return the phase error measured, ps (NaN for an empty batch)
     */
    public double track(long[] receiverPs, int count) {
        if (count == 0) {
            return Double.NaN;
        }
        double error = circularMean(receiverPs, count);
        double linkNow = (receiverPs[count - 1] - offsetPs) / (1 + rate);
        offsetPs += phaseGain * error * (1 + rate);
        if (!Double.isNaN(lastTrackedPs) && linkNow > lastTrackedPs) {
            // Turn the rate about now, so that the mapping of the present does not jump.
            double change = rateGain * error / (linkNow - lastTrackedPs);
            rate += change;
            offsetPs -= change * linkNow;
        }
        lastTrackedPs = linkNow;
        lastPhaseErrorPs = error;
        updates++;
        return error;
    }

    /** Mean distance of the tags from their nearest slot centre, on the circle of one period, ps. */
    private double circularMean(long[] receiverPs, int count) {
        double sin = 0;
        double cos = 0;
        double w = 2 * Math.PI / slotPeriodPs;
        for (int i = 0; i < count; i++) {
            double t = (receiverPs[i] - offsetPs) / (1 + rate);
            double phase = w * (t - Math.rint(t / slotPeriodPs) * slotPeriodPs);
            sin += Math.sin(phase);
            cos += Math.cos(phase);
        }
        return Math.atan2(sin, cos) / w;
    }

    public double offsetPs() {
        return offsetPs;
    }

    /** d, the receiver clock's rate error. */
    public double rateError() {
        return rate;
    }

    public double lastPhaseErrorPs() {
        return lastPhaseErrorPs;
    }

    public long updates() {
        return updates;
    }
}
