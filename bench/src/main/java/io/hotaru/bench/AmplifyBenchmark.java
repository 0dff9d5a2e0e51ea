package io.hotaru.bench;

import io.hotaru.keys.distill.amplify.MultiplyShiftHash;
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
 * Privacy amplification: one multiply-add-shift hash ({@link MultiplyShiftHash}, an exact NTT
 * integer product) of a random input to ratio·bits bits, on one thread. Mbit/s of input = bits /
 * (seconds per op) / 10⁶. For 10⁸ bits run with {@code -p bits=100000000 -bm ss -wi 2 -i 5}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class AmplifyBenchmark {
    @Param({"1000000", "10000000", "100000000"})
    public int bits;

    @Param({"0.25"})
    public double ratio;

    private long[] input;
    private long[] seed;
    private int outputBits;

    @Setup
    public void data() {
        outputBits = (int) Math.round(ratio * bits);
        SplittableRandom random = new SplittableRandom(7);
        input = new long[(bits + 63) >>> 6];
        seed = new long[MultiplyShiftHash.seedWords(bits, outputBits)];
        for (int i = 0; i < input.length; i++) {
            input[i] = random.nextLong();
        }
        for (int i = 0; i < seed.length; i++) {
            seed[i] = random.nextLong();
        }
    }

    @Benchmark
    public long[] hash() {
        return MultiplyShiftHash.hash(input, bits, seed, outputBits);
    }
}
