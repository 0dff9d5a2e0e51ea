package io.hotaru.bench;

import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.reconcile.ReconcileBenchmark;
import io.hotaru.keys.distill.reconcile.Reconciler;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One Cascade frame, both ends in memory on one thread: the unit of {@code hotaru bench
 * reconcile}. Frames are drawn in advance (exactly round(Q·n) flips each); an operation copies
 * Bob's noisy key and reconciles it. Mbit/s = ops/s · bits / 10⁶.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CascadeBenchmark {
    private static final int FRAMES = 64;

    @Param({"original"})
    public String variant;

    @Param({"10000"})
    public int bits;

    @Param({"0.02"})
    public double qber;

    private Reconciler reconciler;
    private long[][] alice;
    private long[][] bob;
    private long[] seeds;
    private int next;

    @Setup
    public void frames() {
        reconciler = CascadeReconciler.named(variant);
        SplittableRandom random = new SplittableRandom(1);
        int words = (bits + 63) >>> 6;
        int errors = (int) Math.round(qber * bits);
        alice = new long[FRAMES][];
        bob = new long[FRAMES][];
        seeds = new long[FRAMES];
        for (int f = 0; f < FRAMES; f++) {
            long[] a = new long[words];
            for (int w = 0; w < words; w++) {
                a[w] = random.nextLong();
            }
            if ((bits & 63) != 0) {
                a[words - 1] &= (1L << (bits & 63)) - 1;
            }
            long[] b = a.clone();
            int flipped = 0;
            while (flipped < errors) {
                int i = random.nextInt(bits);
                if (((a[i >>> 6] ^ b[i >>> 6]) >>> i & 1) == 0) {
                    b[i >>> 6] ^= 1L << i;
                    flipped++;
                }
            }
            alice[f] = a;
            bob[f] = b;
            seeds[f] = random.nextLong();
        }
    }

    @Benchmark
    public ReconcileBenchmark.Frame reconcile() {
        int f = next++ & (FRAMES - 1);
        return ReconcileBenchmark.frame(
                reconciler,
                alice[f],
                bob[f].clone(),
                bits,
                (double) Math.round(qber * bits) / bits,
                seeds[f] + next,
                f,
                () -> 0L);
    }
}
