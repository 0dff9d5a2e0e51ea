package io.hotaru.keys.distill.cascade;

import java.util.Locale;

/**
 * The published Cascade parameter sets (reconciliation-and-amplification.md §2.1). Pass numbers
 * are 0-based here; k₁ is the first pass's block size. BICONF rounds follow the normal passes:
 * each checks the parity of a random half of the key, binary-searches it when odd, and corrects
 * without the cascade effect; they stop after {@link #biconfStreak()} rounds in a row find no
 * error.
 */
public enum CascadeVariant {
    /** Brassard–Salvail: 4 passes, k₁ = ⌈0.73/Q⌉, then doubling. */
    ORIGINAL(4, 0) {
        @Override
        long blockSize(int pass, double q, int length) {
            return (long) Math.ceil(0.73 / q) << Math.min(pass, 40);
        }
    },
    /** Demystifying "mod. (1)": 2 passes, k₁ = ⌈0.92/Q⌉, k₂ = 3k₁, BICONF until 10 clean rounds. */
    BICONF(2, 10) {
        @Override
        long blockSize(int pass, double q, int length) {
            long k1 = (long) Math.ceil(0.92 / q);
            return pass == 0 ? k1 : 3 * k1;
        }
    },
    /** Demystifying "opt. (2)", Yan et al.: 10 passes, k₁ = ⌈0.80/Q⌉, k₂ = 5k₁, then n/2. */
    YANETAL(10, 0) {
        @Override
        long blockSize(int pass, double q, int length) {
            long k1 = (long) Math.ceil(0.80 / q);
            return pass == 0 ? k1 : pass == 1 ? 5 * k1 : length / 2;
        }
    },
    /** Demystifying "opt. (7)": 14 passes, k₁ = 2^⌈log₂(1/Q)⌉, k₂ = 4k₁, then n/2. */
    OPTION7(14, 0) {
        @Override
        long blockSize(int pass, double q, int length) {
            long k1 = (long) Math.ceil(Math.pow(2, Math.ceil(log2(1 / q))));
            return pass == 0 ? k1 : pass == 1 ? 4 * k1 : length / 2;
        }
    },
    /** Demystifying "opt. (8)": 14 passes, k₁ = 2^⌈α⌉, k₂ = 2^⌈(α+12)/2⌉, k₃ = 4096, then n/2. */
    OPTION8(14, 0) {
        @Override
        long blockSize(int pass, double q, int length) {
            double alpha = log2(1 / q) - 0.5;
            return switch (pass) {
                case 0 -> (long) Math.ceil(Math.pow(2, Math.ceil(alpha)));
                case 1 -> (long) Math.ceil(Math.pow(2, Math.ceil((alpha + 12) / 2)));
                case 2 -> 4096;
                default -> length / 2;
            };
        }
    };

    private final int passes;
    private final int biconfStreak;

    CascadeVariant(int passes, int biconfStreak) {
        this.passes = passes;
        this.biconfStreak = biconfStreak;
    }

    /** Normal Cascade passes. */
    public int passes() {
        return passes;
    }

    /** BICONF rounds end after this many in a row correct nothing; 0 for no BICONF. */
    public int biconfStreak() {
        return biconfStreak;
    }

    /** The name used in configuration and on the command line. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Unclamped block size of pass {@code pass} (0-based) at QBER {@code q}; may exceed the key. */
    abstract long blockSize(int pass, double q, int length);

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }
}
