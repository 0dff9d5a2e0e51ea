package io.hotaru.bench.sim;

import io.hotaru.sim.params.ParameterSets;
import io.hotaru.sim.physics.LinkModel;
import io.hotaru.sim.run.LinkSimulator;
import io.hotaru.sim.run.SimulationResult;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One simulated second of a 1 GHz link per operation, at {@code km} kilometres: the score in ns/op is
 * the wall time per link second, so link seconds per wall second = 10⁹ / score. The {@code
 * simulate:detections} row is the time per detection in ns (the target at 50 km with {@code
 * gys}: at most 12.6 ns, i.e. at least 50 link seconds per second). Run one thread, e.g. {@code java -jar bench/target/benchmarks.jar
 * LinkSimulationBenchmark -t 1}. Memory: compare {@code -prof gc} allocation per op at {@code
 * seconds=1} and {@code seconds=10} (flat: the same buffers).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3)
@Measurement(iterations = 5)
@Fork(1)
public class LinkSimulationBenchmark {

    @Param({"gys", "fibre-1ghz"})
    public String params;

    @Param({"50"})
    public double km;

    @Param({"1"})
    public int seconds;

    private LinkModel model;
    private final LinkSimulator simulator = new LinkSimulator(() -> 0L);
    private long seed;

    /** Detections simulated: JMH divides the time by them, giving the time per detection. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Detections {
        public long detections;

        @Setup(Level.Iteration)
        public void clear() {
            detections = 0;
        }
    }

    @Setup
    public void setUp() {
        model = LinkModel.of(ParameterSets.load(params).link().withLengthKm(km))
                .withDetectors(ParameterSets.load(params).detectors());
    }

    @Benchmark
    public SimulationResult simulate(Detections counter) {
        SimulationResult r = simulator.run(model, seconds * 1_000_000_000L, seed++);
        counter.detections += r.detections();
        return r;
    }
}
