package io.hotaru.agent.link;

import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.estimate.IntensityCounts;

/**
 * The error counts of one distilled block, as the receiver's control loops see them: the disclosed
 * test-basis bits and their errors, and the key-basis bits and the errors the reconciler corrected
 * (0 and 0 if the block stopped before error correction). The fields are named for a source that
 * keys from X (p_Z ≤ ½); one that prefers Z discloses X, and the two swap.
 */
public record QberSample(long blockId, int zBits, int zErrors, int xBits, int xErrors) {

    public QberSample {
        if (zBits < 0 || zErrors < 0 || xBits < 0 || xErrors < 0 || zErrors > zBits || xErrors > xBits) {
            throw new IllegalArgumentException(
                    "inconsistent error counts: " + zErrors + "/" + zBits + " and " + xErrors + "/" + xBits);
        }
    }

    /** The counts of {@code report}, all intensities together. */
    public static QberSample of(BlockReport report) {
        int zBits = 0;
        int zErrors = 0;
        for (IntensityCounts c : report.intensities()) {
            zBits += c.disclosed();
            zErrors += c.errors();
        }
        boolean corrected = report.leakedEcBits() > 0;
        return new QberSample(
                report.blockId(),
                zBits,
                zErrors,
                corrected ? report.keyInputBits() : 0,
                corrected ? report.correctedErrors() : 0);
    }

    /** Whether both bases were counted: a polarisation loop needs both. */
    public boolean hasBothBases() {
        return zBits > 0 && xBits > 0;
    }

    /** Errors over bits of both bases together, NaN if none. */
    public double errorRate() {
        int bits = zBits + xBits;
        return bits > 0 ? (double) (zErrors + xErrors) / bits : Double.NaN;
    }

    /**
     * The mean of the two bases' error rates, each basis weighted alike however many bits it had;
     * the pooled {@link #errorRate()} if only one basis was counted, NaN if none. A polarisation
     * error shows in one basis or in both: pooled, a source choosing one basis five times as often
     * would hide the misalignment that only the rare basis sees.
     */
    public double balancedErrorRate() {
        return hasBothBases() ? (zErrorRate() + xErrorRate()) / 2 : errorRate();
    }

    /** Error rate of the Z bits, NaN if none. */
    public double zErrorRate() {
        return zBits > 0 ? (double) zErrors / zBits : Double.NaN;
    }

    /** Error rate of the X bits, NaN if none. */
    public double xErrorRate() {
        return xBits > 0 ? (double) xErrors / xBits : Double.NaN;
    }
}
