package io.hotaru.keys.distill.reconcile;

import io.hotaru.keys.distill.bits.PackedBits;
import io.hotaru.keys.distill.estimate.BinaryEntropy;
import io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage;
import java.util.ArrayDeque;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The reconciliation benchmark behind {@code hotaru bench reconcile}: random frames of {@code bits}
 * bits, Bob's copy with exactly round(Q·n) flips at distinct positions, both ends run in memory on
 * one thread. Only the reconciliation itself (endpoints created, messages exchanged, endpoints
 * closed) is timed, with the injected clock; key generation and noise are not. Efficiency is f =
 * leaked/(n·h(Q)) with Q the frame's actual error rate; frame errors are counted before any
 * verification.
 */
public final class ReconcileBenchmark {
    private ReconcileBenchmark() {}

    /**
     * @param algorithm the reconciler's name
     * @param efficiencyMean mean f over the runs
     * @param efficiencySd standard deviation of f (population)
     * @param messagesMean mean round trips (request/response pairs) per frame
     * @param frameErrorRate fraction of frames where Bob's key still differs from Alice's
     * @param mbitPerS frame bits reconciled per second of timed work, in 10⁶ bit/s
     */
    public record Result(
            String algorithm,
            int bits,
            double qber,
            int runs,
            double efficiencyMean,
            double efficiencySd,
            double messagesMean,
            double frameErrorRate,
            double mbitPerS) {}

    /** One frame's figures. */
    public record Frame(long leakedBits, int roundTrips, int residualErrors, long nanos) {}

    /**
     * Runs {@code runs} frames.
     *
     * @param seed fixes keys, noise and the reconciler's public randomness
     * @param nanoClock a monotonic nanosecond clock ({@code System::nanoTime} in the CLI)
     */
    public static Result run(
            Reconciler reconciler, int bits, double qber, int runs, long seed, LongSupplier nanoClock) {
        if (bits < 2 || !(qber > 0 && qber < 0.5) || runs < 1) {
            throw new IllegalArgumentException("need bits ≥ 2, 0 < qber < 0.5, runs ≥ 1");
        }
        int errors = (int) Math.round(qber * bits);
        if (errors < 1) {
            throw new IllegalArgumentException("round(qber·bits) must be at least 1");
        }
        double actualQber = (double) errors / bits;
        double denominator = bits * BinaryEntropy.h(actualQber);
        Mix random = new Mix(seed);
        double sumF = 0;
        double sumF2 = 0;
        long sumRounds = 0;
        int frameErrors = 0;
        long nanos = 0;
        for (int r = 0; r < runs; r++) {
            long[] alice = random.bits(bits);
            long[] bob = alice.clone();
            flipDistinct(bob, bits, errors, random);
            Frame frame = frame(reconciler, alice, bob, bits, actualQber, random.nextLong(), r, nanoClock);
            double f = frame.leakedBits() / denominator;
            sumF += f;
            sumF2 += f * f;
            sumRounds += frame.roundTrips();
            frameErrors += frame.residualErrors() > 0 ? 1 : 0;
            nanos += frame.nanos();
            PackedBits.zero(alice, bob);
        }
        double mean = sumF / runs;
        double sd = Math.sqrt(Math.max(0, sumF2 / runs - mean * mean));
        double mbitPerS = nanos > 0 ? (double) bits * runs / nanos * 1e3 : Double.NaN;
        return new Result(
                reconciler.name(),
                bits,
                qber,
                runs,
                mean,
                sd,
                (double) sumRounds / runs,
                (double) frameErrors / runs,
                mbitPerS);
    }

    /**
     * Reconciles one frame in memory: Bob corrects {@code bob} in place towards {@code alice}.
     * Alice's messages from {@code start()} go first (one-way schemes), then Bob drives.
     */
    public static Frame frame(
            Reconciler reconciler,
            long[] alice,
            long[] bob,
            int bits,
            double qberEstimate,
            long reconcileSeed,
            long blockId,
            LongSupplier nanoClock) {
        ReconcileContext context = new ReconcileContext(blockId, qberEstimate, reconcileSeed);
        long start = nanoClock.getAsLong();
        ReconcileEndpoint reference = reconciler.reference(alice, bits, context);
        ReconcileEndpoint corrector = reconciler.corrector(bob, bits, context);
        try {
            ArrayDeque<ReconcileMessage> toBob = new ArrayDeque<>(reference.start());
            ArrayDeque<ReconcileMessage> toAlice = new ArrayDeque<>(corrector.start());
            while (true) {
                while (!toAlice.isEmpty()) {
                    toBob.addAll(reference.onMessage(toAlice.poll()));
                }
                if (corrector.finished() && toBob.isEmpty()) {
                    break;
                }
                if (toBob.isEmpty()) {
                    throw new IllegalStateException("reconciler stalled: Bob waits but nothing is in flight");
                }
                toAlice.addAll(corrector.onMessage(toBob.poll()));
            }
            long nanos = nanoClock.getAsLong() - start;
            return new Frame(
                    corrector.leakedBits(),
                    corrector.roundTrips(),
                    PackedBits.hammingDistance(alice, bob, bits),
                    nanos);
        } finally {
            reference.close();
            corrector.close();
        }
    }

    /** Flips exactly {@code count} distinct positions of {@code key}: a partial Fisher–Yates draw. */
    static void flipDistinct(long[] key, int bits, int count, Mix random) {
        int[] order = new int[bits];
        for (int i = 0; i < bits; i++) {
            order[i] = i;
        }
        for (int i = 0; i < count; i++) {
            int j = i + random.nextInt(bits - i);
            int t = order[j];
            order[j] = order[i];
            order[i] = t;
            PackedBits.flip(key, t);
        }
    }

    /** SplitMix64: the benchmark's own reproducible stream (public test data, not secret). */
    static final class Mix {
        private long state;

        Mix(long seed) {
            state = seed;
        }

        long nextLong() {
            long z = (state += 0x9E3779B97F4A7C15L);
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            return z ^ (z >>> 31);
        }

        int nextInt(int bound) {
            return (int) (((nextLong() >>> 32) * bound) >>> 32);
        }

        long[] bits(int n) {
            long[] out = new long[PackedBits.words(n)];
            for (int i = 0; i < out.length; i++) {
                out[i] = nextLong();
            }
            PackedBits.clearTail(out, n);
            return out;
        }
    }

    /** Convenience for tables: the result as the CLI's JSON keys, in order. */
    public static List<String> jsonKeys() {
        return List.of(
                "algorithm",
                "bits",
                "qber",
                "runs",
                "efficiency_mean",
                "efficiency_sd",
                "messages_mean",
                "frame_error_rate",
                "mbit_per_s");
    }
}
