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
 * One prime's transform of the three-prime product ({@link SmallPrimeNtt}) on its own, one thread:
 * 2²² points is the n = 10⁸ size (fifteen of these make one hash). ns per butterfly = time per op
 * / ((N/2)·log N), twist and transposition included. Each op transforms the same data again;
 * values stay below 2p, so the work per op does not depend on the data. Compare with
 * {@link ModularNttBenchmark} (the 60-bit transform, nine per hash at that size).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgs = "-Xmx2g")
public class SmallPrimeNttBenchmark {
    @Param({"16", "22"})
    public int log;

    private SmallPrimeNtt ntt;
    private long[][] rows;
    private long[][] columns;

    @Setup
    public void data() {
        ntt = SmallPrimeNtt.of(0, log);
        rows = new long[ntt.rows()][ntt.columns()];
        columns = new long[ntt.columns()][ntt.rows()];
        SplittableRandom random = new SplittableRandom(7);
        for (long[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextLong(ntt.p);
            }
        }
    }

    @Benchmark
    public long[][] forward() {
        ntt.forward(rows, columns);
        return columns;
    }

    @Benchmark
    public long[][] inverse() {
        ntt.inverse(columns, rows);
        return rows;
    }
}
