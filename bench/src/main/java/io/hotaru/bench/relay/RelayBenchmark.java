package io.hotaru.bench.relay;

import io.hotaru.keys.relay.RelayOutcome;
import io.hotaru.keys.relay.RelayStatus;
import io.hotaru.keys.relay.RoutePolicy;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Trusted-node relay of 256-bit keys over 5 hops (6 nodes in a line, one JVM, Netty with mutual
 * TLS on loopback, every store and journal durable on disk). Each operation is one call of {@code
 * together} whole relays from the first node to the last, each committed at both ends; a relay that
 * does not commit fails the run (size {@code unitsPerLink} for the run's length). Throughput mode
 * gives calls/s (relays/s with {@code together} = 1; the printed line counts relays), sample mode the
 * latency percentiles of a call (p99). Run:
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar RelayBenchmark -bm thrpt,sample -t 4 -p together=32
 * java -jar bench/target/benchmarks.jar RelayBenchmark -bm thrpt,sample -t 128
 * java -jar bench/target/benchmarks.jar RelayBenchmark -bm sample -f 1 -wi 1 -w 30 -i 1 -r 15 \
 *     -p unitsPerLink=600000 -t 2 -p together=16
 * </pre>
 *
 * <p>The last is the figure issue #7 asks for (32 relays in flight). On a slow machine a warm-up of
 * 10 s leaves the JIT compiling through the measurement (a fifth of the CPU on a 2-core VM), so
 * warm up for 30 s there; {@code unitsPerLink} must last the warm-up and the measurement.
 *
 * <p>Each thread keeps one call in flight, of {@code together} relays: relays share frames and
 * store steps (ADR 0009, "Batches") only as far as several are in flight, so measure at several
 * loads ({@code -t 1}, {@code 16}, {@code 128}; {@code -t 4 -p together=32} keeps 128 in flight
 * without 128 blocked threads). After each iteration it prints the relays it completed and the
 * CPU time of the whole process (every node, the JIT and GC included) per relay, and the relays/s
 * that CPU cost would allow with every core busy: on a machine whose cores the run saturates,
 * throughput mostly follows that figure, and it varies less from run to run; no latency target can
 * be met at a rate above the ceiling. At teardown it prints what each node's store writer did (operations per commit; its commits'
 * mean time and those over 5 ms, in which it checkpointed the WAL itself or did not get a core;
 * fsyncs and their mean time) and how many forwards it sent to the next node in how many frames.
 */
@State(Scope.Benchmark)
@BenchmarkMode({Mode.Throughput, Mode.SampleTime})
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 5)
@Measurement(iterations = 3, time = 10)
@Threads(16)
@Fork(value = 1, jvmArgs = "-Xmx1g")
public class RelayBenchmark {
    @Param({"5"})
    public int hops;

    /**
     * Units of 256 bits per link, shared between its two directions (a relay takes one unit from
     * its sender's half on every hop). A direction lasts {@code unitsPerLink / 2} relays: at about
     * 10,000 relays/s (2-core VM), 800,000 lasts the default warm-up and measurement (35 s; 350,000
     * relays) with room to spare; filling it takes over a minute of set-up. A run that exhausts it
     * fails with ABORTED relays: size it for longer runs.
     */
    @Param({"800000"})
    public int unitsPerLink;

    /**
     * Bits relayed per relay: 256 (one key), or up to 8192 (32 units, each its own 256-bit key at
     * both ends, as {@code RelayKeySupply} relays them): keys/s is then relays/s times keyBits/256.
     */
    @Param({"256"})
    public int keyBits;

    /**
     * Relays each call starts together ({@link io.hotaru.keys.relay.RelayNode#relayMany}): 1 is one
     * relay per call, each thread keeping one in flight; with more, each call is that many relays,
     * each its own relay (ID, key, pads, commit) sharing the source's first step and frame, and the
     * call's time is the latency of its slowest. JMH's score then counts calls: the line printed
     * after each iteration counts relays.
     */
    @Param({"1"})
    public int together;

    private RelayLine line;
    private final LongAdder relays = new LongAdder();
    private long iterationNanos;
    private long iterationCpuNanos;

    @Setup(Level.Trial)
    public void network() throws Exception {
        line = new RelayLine(hops + 1, unitsPerLink);
    }

    @Setup(Level.Iteration)
    public void startIteration() {
        relays.reset();
        iterationCpuNanos = processCpuNanos();
        iterationNanos = System.nanoTime();
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        double seconds = (System.nanoTime() - iterationNanos) / 1e9;
        double cpuSeconds = (processCpuNanos() - iterationCpuNanos) / 1e9;
        long done = relays.sum();
        int cores = Runtime.getRuntime().availableProcessors();
        System.out.printf(
                "%n%,d relays in %.1f s; process CPU %.1f s (%.2f of %d cores): %.0f us per relay,"
                        + " at most %,.0f relays/s with every core busy%n",
                done,
                seconds,
                cpuSeconds,
                cpuSeconds / seconds,
                cores,
                done == 0 ? 0.0 : cpuSeconds * 1e6 / done,
                cpuSeconds == 0 ? 0.0 : cores * done / cpuSeconds);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    @TearDown(Level.Trial)
    public void close() throws Exception {
        System.out.println(line.writerReport());
        line.close();
    }

    @Benchmark
    public List<RelayOutcome> relay256() {
        List<RelayOutcome> outcomes = line.first().relayMany(line.lastId(), keyBits, together, RoutePolicy.any());
        for (RelayOutcome outcome : outcomes) {
            if (outcome.status() != RelayStatus.COMMITTED) {
                throw new IllegalStateException("relay " + outcome.relayId() + " ended " + outcome.status());
            }
        }
        relays.add(outcomes.size());
        return outcomes;
    }
}
