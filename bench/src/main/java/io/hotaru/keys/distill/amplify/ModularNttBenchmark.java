package io.hotaru.keys.distill.amplify;

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
 * The 60-bit number-theoretic transform ({@link ModularNtt}, used past the three-prime sizes) on its own,
 * one thread. It lives in the transform's package (the class is package-private) but in the bench
 * module. ns per butterfly = time per op / ((N/2)·log N): 2¹⁵ points run in cache in one block,
 * 2²² points (the n = 10⁸ size) through the four-step layout. Each op transforms the same array
 * again; values stay in [0, 2p), so the work per op does not depend on the data.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class ModularNttBenchmark {
    @Param({"15", "22"})
    public int log;

    private ModularNtt ntt;
    private long[] data;

    @Setup
    public void data() {
        ntt = ModularNtt.of(log);
        data = new long[ntt.size()];
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = random.nextLong(ModularNtt.P);
        }
    }

    @Benchmark
    public long[] forward() {
        ntt.forward(data);
        return data;
    }

    @Benchmark
    public long[] inverse() {
        ntt.inverse(data);
        return data;
    }
}
