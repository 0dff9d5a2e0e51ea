package io.hotaru.bench.footprint;

/**
 * Whether a link end keeps up with its link, from its backlog: the detections the link has made
 * (at the delivered rate) less those this end has distilled, sampled once a second from the start
 * and judged over the second half of the run (the first holds the JIT's warm-up).
 *
 * <p>An end keeps up when it does not fall further behind: the mean backlog over the last quarter
 * of the run exceeds that over the third quarter by less than one block. Detections are counted a
 * whole block at a time, so one sample is up to a block off; the mean of a quarter's samples is
 * not. An end short of the rate by a fraction f grows f × rate × run/4 between the two means: one
 * block of 2²⁰ at f = 0.64 % in a 60-s run on {@code fibre-1ghz}, 1.3 % in a 30-s one.
 *
 * <p>How far behind an end is while keeping up is a latency, not a verdict, and is reported: a
 * receiver holds up to three blocks (one being framed, one waiting, one being distilled), the
 * transmitter finishes each block after the receiver, and the two processes start their links a
 * moment apart.
 */
final class Backlog {
    private final double deliveredPerSecond;
    private final long blockDetections;
    private final int seconds;
    private long worst;
    private final double[] quarterSum = new double[2];
    private final int[] quarterSamples = new int[2];

    Backlog(double deliveredPerSecond, long blockDetections, int seconds) {
        this.deliveredPerSecond = deliveredPerSecond;
        this.blockDetections = blockDetections;
        this.seconds = seconds;
    }

    /** The sample of second {@code second} (1-based), {@code elapsed} seconds into the run. */
    long sample(int second, double elapsed, long distilled) {
        long backlog = (long) (deliveredPerSecond * elapsed) - distilled;
        if (second > seconds / 2) {
            worst = Math.max(worst, backlog);
            int quarter = second > seconds * 3 / 4 ? 1 : 0;
            quarterSum[quarter] += backlog;
            quarterSamples[quarter]++;
        }
        return backlog;
    }

    /** The worst backlog over the second half, in blocks. */
    double worstBlocks() {
        return worst / (double) blockDetections;
    }

    /** Mean backlog over the last quarter less that over the third, in blocks (NaN if a quarter has no sample). */
    double growthBlocks() {
        if (quarterSamples[0] == 0 || quarterSamples[1] == 0) {
            return Double.NaN;
        }
        return (quarterSum[1] / quarterSamples[1] - quarterSum[0] / quarterSamples[0]) / blockDetections;
    }

    /** Whether the end kept up over the second half; an end that stopped early did not. */
    boolean keptUp(boolean ranToEnd) {
        return ranToEnd && growthBlocks() < 1;
    }
}
