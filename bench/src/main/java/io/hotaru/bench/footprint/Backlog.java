package io.hotaru.bench.footprint;

import io.hotaru.agent.link.ReceiverLink;

/**
 * Whether a link end keeps up with its link: the backlog (detections the link has made, at the
 * delivered rate, less those distilled) sampled once a second from the start, judged over the
 * second half of the run (the first includes the JIT's warm-up). An end keeps up when its backlog
 * stays within what the receiver's pipeline holds anyway ({@link ReceiverLink#PIPELINE_BLOCKS}: a
 * block being framed, one waiting, one being distilled). The backlog accumulates from the start,
 * so an end short of the rate by a fraction f passes that bound after {@code PIPELINE_BLOCKS}
 * blocks / (f × rate) seconds: about 29 s at 1 % on {@code fibre-1ghz} with blocks of 2²⁰.
 *
 * <p>The backlog's growth over the second half (least-squares slope, as a fraction of the rate) is
 * reported too; it is not part of the verdict because detections are counted a whole block at a
 * time, which can tilt the slope of a run that keeps up by up to 0.1 block per second over 15
 * samples.
 */
final class Backlog {
    private final double deliveredPerSecond;
    private final long blockDetections;
    private final int seconds;
    private long worst;
    private int n;
    private double sumT;
    private double sumB;
    private double sumTt;
    private double sumTb;

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
            n++;
            sumT += elapsed;
            sumB += backlog;
            sumTt += elapsed * elapsed;
            sumTb += elapsed * backlog;
        }
        return backlog;
    }

    /** The worst backlog over the second half, in blocks. */
    double worstBlocks() {
        return worst / (double) blockDetections;
    }

    /** The backlog's growth over the second half as a fraction of the delivered rate (0 if too few samples). */
    double growth() {
        double denominator = n * sumTt - sumT * sumT;
        if (n < 2 || denominator <= 0) {
            return 0;
        }
        return (n * sumTb - sumT * sumB) / denominator / deliveredPerSecond;
    }

    /** Whether the end kept up over the second half; an end that stopped early did not. */
    boolean keptUp(boolean ranToEnd) {
        return ranToEnd && n >= 2 && worst <= (long) ReceiverLink.PIPELINE_BLOCKS * blockDetections;
    }
}
