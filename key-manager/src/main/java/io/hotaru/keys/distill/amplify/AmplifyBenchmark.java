package io.hotaru.keys.distill.amplify;

import io.hotaru.keys.distill.bits.PackedBits;
import java.util.function.LongSupplier;

/**
 * The privacy-amplification benchmark behind {@code hotaru bench amplify}: one multiply-add-shift
 * hash of a random {@code bits}-bit input to round(ratio·bits) bits ({@link MultiplyShiftHash}), on
 * the calling thread. Only the hash is timed, with the injected clock; input and seed generation
 * are not. The package has no clock and no management API: the caller passes a nanosecond clock
 * and a reader of the peak heap (for example the sum of the heap pools' peak usage, reset before
 * the run).
 */
public final class AmplifyBenchmark {
    private AmplifyBenchmark() {}

    /**
     * @param outputBits m = round(ratio·bits)
     * @param mbitPerS input bits hashed per second of timed work, in 10⁶ bit/s
     * @param peakHeapMib what the peak-heap reader reported after the run, in MiB
     * @param checksum the XOR of the hash's words, so that a run can be compared across builds
     */
    public record Result(
            int bits, double ratio, int outputBits, long nanos, double mbitPerS, long peakHeapMib, long checksum) {}

    public static Result run(int bits, double ratio, long seed, LongSupplier nanoClock, LongSupplier peakHeapBytes) {
        if (bits < 1 || !(ratio > 0 && ratio <= 1)) {
            throw new IllegalArgumentException("need bits ≥ 1 and 0 < ratio ≤ 1");
        }
        int m = (int) Math.max(1, Math.round(ratio * bits));
        long state = seed;
        long[] input = new long[PackedBits.words(bits)];
        for (int i = 0; i < input.length; i++) {
            input[i] = mix(state += 0x9E3779B97F4A7C15L);
        }
        PackedBits.clearTail(input, bits);
        long[] hashSeed = new long[MultiplyShiftHash.seedWords(bits, m)];
        for (int i = 0; i < hashSeed.length; i++) {
            hashSeed[i] = mix(state += 0x9E3779B97F4A7C15L);
        }
        long start = nanoClock.getAsLong();
        long[] hash = MultiplyShiftHash.hash(input, bits, hashSeed, m);
        long nanos = nanoClock.getAsLong() - start;
        long checksum = 0;
        for (long w : hash) {
            checksum ^= w;
        }
        PackedBits.zero(input, hash);
        double mbitPerS = nanos > 0 ? bits * 1e3 / nanos : Double.NaN;
        return new Result(bits, ratio, m, nanos, mbitPerS, peakHeapBytes.getAsLong() >> 20, checksum);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
