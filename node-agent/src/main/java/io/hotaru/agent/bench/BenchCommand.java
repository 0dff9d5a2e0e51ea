package io.hotaru.agent.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.keys.distill.amplify.AmplifyBenchmark;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.reconcile.ReconcileBenchmark;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongSupplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./hotaru bench}: measure the distillation algorithms on this machine. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Measure error correction and privacy amplification on this machine.",
        subcommands = {BenchCommand.Reconcile.class, BenchCommand.Amplify.class})
public final class BenchCommand implements Runnable {

    static final List<String> ALGORITHMS = List.of("original", "biconf", "yanetal", "option7", "option8");

    @Spec
    private CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "a subcommand is required (reconcile, amplify)");
    }

    /** {@code ./hotaru bench reconcile}. */
    @Command(
            name = "reconcile",
            mixinStandardHelpOptions = true,
            description = "Run Cascade on frames with exactly round(Q·n) errors, one thread, in memory; report"
                    + " efficiency f = leaked/(n·h(Q)), round trips, frame error rate and throughput.",
            sortOptions = false)
    static final class Reconcile implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(
                names = "--algorithm",
                defaultValue = "original",
                paramLabel = "NAME",
                description = "Cascade variant: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
                completionCandidates = Algorithms.class)
        private String algorithm;

        @Option(names = "--qber", defaultValue = "0.02", paramLabel = "Q", description = "Error rate (default: 0.02).")
        private double qber;

        @Option(
                names = "--bits",
                defaultValue = "10000",
                paramLabel = "N",
                description = "Frame length (default: 10000).")
        private int bits;

        @Option(names = "--runs", defaultValue = "1000", paramLabel = "R", description = "Frames (default: 1000).")
        private int runs;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: 1).")
        private long seed;

        @Option(names = "--json", description = "Print one JSON object on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            if (!ALGORITHMS.contains(algorithm)) {
                throw new ParameterException(
                        spec.commandLine(), "--algorithm '" + algorithm + "' is not one of " + ALGORITHMS);
            }
            if (!(qber > 0 && qber < 0.5)) {
                throw new ParameterException(spec.commandLine(), "--qber must be in (0, 0.5), got " + qber);
            }
            if (bits < 64 || bits > 100_000_000) {
                throw new ParameterException(spec.commandLine(), "--bits must be in [64, 10^8], got " + bits);
            }
            if (runs < 1) {
                throw new ParameterException(spec.commandLine(), "--runs must be >= 1, got " + runs);
            }
            if (Math.round(qber * bits) < 1) {
                throw new ParameterException(spec.commandLine(), "--qber × --bits must round to at least one error");
            }
            ReconcileBenchmark.Result r = ReconcileBenchmark.run(
                    CascadeReconciler.named(algorithm), bits, qber, runs, seed, System::nanoTime);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("algorithm", r.algorithm());
                o.put("bits", r.bits());
                o.put("qber", r.qber());
                o.put("runs", r.runs());
                o.put("efficiency_mean", r.efficiencyMean());
                o.put("efficiency_sd", r.efficiencySd());
                o.put("messages_mean", r.messagesMean());
                o.put("frame_error_rate", r.frameErrorRate());
                o.put("mbit_per_s", r.mbitPerS());
                out.println(o);
            } else {
                out.printf(
                        Locale.ROOT,
                        "%s Cascade, n = %d, Q = %.4f, %d frames: f = %.4f ± %.4f, %.1f round trips, frame error rate"
                                + " %.4f, %.2f Mbit/s (one thread)%n",
                        r.algorithm(),
                        r.bits(),
                        r.qber(),
                        r.runs(),
                        r.efficiencyMean(),
                        r.efficiencySd(),
                        r.messagesMean(),
                        r.frameErrorRate(),
                        r.mbitPerS());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }

    /** Candidates for {@code --algorithm}. */
    static final class Algorithms implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ALGORITHMS.iterator();
        }
    }

    /** {@code ./hotaru bench amplify}. */
    @Command(
            name = "amplify",
            mixinStandardHelpOptions = true,
            description =
                    "Run privacy amplification (multiply-add-shift hash) on blocks of one size, one thread: the first call"
                            + " (cold: JIT compilation, tables, workspace), then --runs timed calls on fresh inputs; report the"
                            + " median throughput of input bits, the first call's, and the peak heap.",
            sortOptions = false)
    static final class Amplify implements Callable<Integer> {

        @Spec
        private CommandSpec spec;

        @Option(
                names = "--bits",
                defaultValue = "100000000",
                paramLabel = "N",
                description = "Input block length (default: 10^8).")
        private int bits;

        @Option(
                names = "--ratio",
                defaultValue = "0.25",
                paramLabel = "R",
                description = "Output length / input length (default: 0.25).")
        private double ratio;

        @Option(
                names = "--runs",
                defaultValue = "5",
                paramLabel = "R",
                description = "Timed calls after the first, each on a fresh input and seed (default: 5).")
        private int runs;

        @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: 1).")
        private long seed;

        @Option(names = "--json", description = "Print one JSON object on stdout.")
        private boolean json;

        @Override
        public Integer call() {
            if (runs < 1 || runs > 1000) {
                throw new ParameterException(spec.commandLine(), "--runs must be in [1, 1000], got " + runs);
            }
            if (bits < 64 || bits > 1_000_000_000) {
                throw new ParameterException(spec.commandLine(), "--bits must be in [64, 10^9], got " + bits);
            }
            if (!(ratio > 0 && ratio <= 1)) {
                throw new ParameterException(spec.commandLine(), "--ratio must be in (0, 1], got " + ratio);
            }
            List<MemoryPoolMXBean> heap = ManagementFactory.getMemoryPoolMXBeans().stream()
                    .filter(p -> p.getType() == MemoryType.HEAP)
                    .toList();
            System.gc();
            heap.forEach(MemoryPoolMXBean::resetPeakUsage);
            LongSupplier peakHeap = () ->
                    heap.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
            AmplifyBenchmark.Result first = AmplifyBenchmark.run(bits, ratio, seed, System::nanoTime, peakHeap);
            double[] timed = new double[runs];
            AmplifyBenchmark.Result r = first;
            for (int i = 0; i < runs; i++) {
                r = AmplifyBenchmark.run(bits, ratio, seed + 1 + i, System::nanoTime, peakHeap);
                timed[i] = r.mbitPerS();
            }
            Arrays.sort(timed);
            double median = runs % 2 == 1 ? timed[runs / 2] : (timed[runs / 2 - 1] + timed[runs / 2]) / 2;
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                ObjectNode o = new ObjectMapper().createObjectNode();
                o.put("bits", r.bits());
                o.put("ratio", r.ratio());
                o.put("output_bits", r.outputBits());
                o.put("runs", runs);
                o.put("mbit_per_s", median);
                o.put("mbit_per_s_min", timed[0]);
                o.put("mbit_per_s_max", timed[runs - 1]);
                o.put("first_call_mbit_per_s", first.mbitPerS());
                o.put("peak_heap_mib", r.peakHeapMib());
                out.println(o);
            } else {
                out.printf(
                        Locale.ROOT,
                        "Multiply-add-shift hash of %d bits to %d bits, one thread: median %.1f Mbit/s of input over %d"
                                + " calls (%.1f-%.1f; first call %.1f), peak heap %d MiB%n",
                        r.bits(),
                        r.outputBits(),
                        median,
                        runs,
                        timed[0],
                        timed[runs - 1],
                        first.mbitPerS(),
                        r.peakHeapMib());
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
