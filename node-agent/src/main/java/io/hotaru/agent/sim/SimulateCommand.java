package io.hotaru.agent.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.keys.distill.BobBlock;
import io.hotaru.sim.physics.Attack;
import io.hotaru.sim.physics.CounterRandom;
import io.hotaru.sim.physics.LinkModel;
import io.hotaru.sim.physics.ParameterSet;
import io.hotaru.sim.physics.PassGeometry;
import io.hotaru.sim.run.DetectionListener;
import io.hotaru.sim.run.LinkSimulator;
import io.hotaru.sim.run.PerLevel;
import io.hotaru.sim.run.SimulationResult;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./hotaru simulate}: run the physics simulator on one link and compare with the model. */
@Command(
        name = "simulate",
        mixinStandardHelpOptions = true,
        description = "Simulate a decoy-state BB84 link (fibre at a distance, or one satellite pass), optionally"
                + " with an eavesdropper, and compare gains and QBER per intensity with the analytic model.",
        sortOptions = false)
public final class SimulateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--params",
            defaultValue = "gys",
            paramLabel = "NAME|FILE",
            description =
                    "Parameter set: demo, metro, gys, fibre-1ghz, micius, or a YAML file (default: ${DEFAULT-VALUE}).")
    private String params;

    @Option(names = "--distance", paramLabel = "KM", description = "Fibre length in km (default: the parameter set's).")
    private Double distanceKm;

    @Option(
            names = "--pulses",
            defaultValue = "1e9",
            paramLabel = "N",
            description = "Pulses to simulate, e.g. 1e10 (default: ${DEFAULT-VALUE}).")
    private String pulses;

    @Option(names = "--seed", defaultValue = "1", paramLabel = "S", description = "Seed (default: 1).")
    private long seed;

    @Option(
            names = "--eve",
            defaultValue = "none",
            paramLabel = "ATTACK",
            description = "Eavesdropper: none, intercept-resend[:FRACTION], pns, blinding, trojan[:WATTS],"
                    + " time-shift[:PS] (default: none).")
    private String eve;

    @Option(
            names = "--pass",
            description = "Simulate one satellite pass instead of a fixed distance (needs a parameter set with a"
                    + " free_space section, e.g. micius); --pulses is then ignored.")
    private boolean pass;

    @Option(
            names = "--max-elevation",
            defaultValue = "60",
            paramLabel = "DEG",
            description = "With --pass: the pass's culmination (default: ${DEFAULT-VALUE}).")
    private double maxElevationDeg;

    @Option(
            names = "--min-elevation",
            defaultValue = "10",
            paramLabel = "DEG",
            description = "With --pass: elevation at which the link is up (default: ${DEFAULT-VALUE}).")
    private double minElevationDeg;

    @Option(names = "--daylight", description = "With --pass: daytime background light.")
    private boolean daylight;

    @Option(
            names = "--distill",
            description = "Also distil the detections with the key manager's pipeline (sifting, finite-key"
                    + " estimation, Cascade, verification, privacy amplification, Wegman-Carter authentication)"
                    + " and report the secret bits.")
    private boolean distill;

    @Option(
            names = "--block-bits",
            paramLabel = "N",
            description = "With --distill: detections (sifting candidates) per block (default: ${DEFAULT-VALUE}).",
            defaultValue = "524288")
    private int blockBits;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    private boolean json;

    private double cpuSeconds;

    /**
     * Smallest and largest --block-bits: below, no finite-key bound leaves key; above, a block's
     * detections no longer fit one message of the peer protocol ({@link BobBlock#MAX_DETECTIONS}).
     */
    static final int MIN_BLOCK_BITS = 1_000;

    static final int MAX_BLOCK_BITS = BobBlock.MAX_DETECTIONS;

    @Override
    public Integer call() {
        ParameterSet set = ParameterSetOption.load(spec, params);
        Attack attack;
        try {
            attack = Attack.parse(eve);
        } catch (IllegalArgumentException e) {
            throw usage("--eve '" + eve + "': " + e.getMessage());
        }
        if (spec.commandLine().getParseResult().hasMatchedOption("--block-bits") && !distill) {
            throw usage("--block-bits needs --distill");
        }
        if (blockBits < MIN_BLOCK_BITS || blockBits > MAX_BLOCK_BITS) {
            throw usage("--block-bits must be in [" + MIN_BLOCK_BITS + ", " + MAX_BLOCK_BITS + "], got " + blockBits);
        }
        LinkModel model;
        long pulseCount;
        if (pass) {
            if (set.freeSpaceChannel().isEmpty()) {
                throw usage("--pass needs a parameter set with a free_space section (e.g. micius); '" + set.name()
                        + "' has none");
            }
            PassGeometry geometry;
            try {
                geometry = PassGeometry.synthetic(set.altitudeKm(), maxElevationDeg, minElevationDeg, 1.0);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
            model = set.passModel(geometry, daylight).withAttack(attack);
            pulseCount = -1;
        } else {
            model = set.fibreModel();
            if (distanceKm != null) {
                try {
                    model = LinkModel.of(set.link().withLengthKm(distanceKm)).withDetectors(set.detectors());
                } catch (IllegalArgumentException e) {
                    throw usage("--distance " + distanceKm + ": " + e.getMessage());
                }
            }
            model = model.withAttack(attack);
            pulseCount = parsePulses();
        }
        SimulatedDistillation distillation = null;
        if (distill) {
            try {
                distillation = new SimulatedDistillation(
                        model.parameters(), CounterRandom.linkKey(seed, LinkSimulator.LINK_NAME), blockBits, seed);
            } catch (IllegalArgumentException e) {
                throw usage("--distill with --params " + params + ": " + e.getMessage());
            }
        }
        try {
            LinkSimulator simulator = LinkSimulator.withSystemClock();
            DetectionListener listener = distillation == null ? DetectionListener.NONE : distillation;
            SimulationResult r;
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long cpuBefore = threads.getCurrentThreadCpuTime();
            try {
                r = pass ? simulator.runPass(model, seed, listener) : simulator.run(model, pulseCount, seed, listener);
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            } catch (IllegalStateException e) {
                throw CliFailure.runtime("--distill: " + e.getMessage());
            }
            // CPU time of this thread: a figure that a busy shared machine does not inflate as it does
            // wall_seconds (with --distill it includes Bob's end but not Alice's thread).
            cpuSeconds = (threads.getCurrentThreadCpuTime() - cpuBefore) / 1e9;
            SimulatedDistillation.Totals totals;
            try {
                totals = distillation == null ? null : distillation.finish(r.pulses());
            } catch (IllegalStateException e) {
                throw CliFailure.runtime("--distill: " + e.getMessage());
            }
            print(set, r, totals);
        } finally {
            if (distillation != null) {
                distillation.close();
            }
        }
        return ExitCodes.OK;
    }

    private long parsePulses() {
        double n;
        try {
            n = Double.parseDouble(pulses);
        } catch (NumberFormatException e) {
            throw usage("--pulses must be a number such as 1e10, got '" + pulses + "'");
        }
        if (!(n >= 1 && n <= 1e16)) {
            throw usage("--pulses must be in [1, 1e16], got " + pulses);
        }
        return (long) n;
    }

    private void print(ParameterSet set, SimulationResult r, SimulatedDistillation.Totals d) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode o = mapper.createObjectNode();
            o.put("params", set.name());
            o.put("attack", r.attack());
            o.put("pulses", r.pulses());
            o.put("link_seconds", r.linkSeconds());
            o.put("wall_seconds", r.wallSeconds());
            o.put("cpu_seconds", cpuSeconds);
            o.put("detections", r.detections());
            o.put("sifted_bits", r.siftedBits());
            level(o.putObject("gain"), r.gain());
            level(o.putObject("qber"), r.qber());
            ObjectNode analytic = o.putObject("analytic");
            level(analytic.putObject("gain"), r.analyticGain());
            level(analytic.putObject("qber"), r.analyticQber());
            o.put("decoy_rate_per_pulse", r.decoyRatePerPulse());
            if (d != null) {
                o.put("block_bits", blockBits);
                o.put("blocks", d.blocks());
                o.put("secret_bits", d.secretBits());
                o.put("finite_key_bound_bits", d.finiteKeyBoundBits());
                put(o, "efficiency", d.efficiency());
                o.put("auth_bits_consumed", d.authBitsConsumed());
                o.put("aborted_blocks", d.abortedBlocks());
                ObjectNode reasons = o.putObject("abort_reasons");
                d.abortReasons().entrySet().stream()
                        .sorted(Map.Entry.comparingByKey())
                        .forEach(e -> reasons.put(e.getKey().name().toLowerCase(Locale.ROOT), e.getValue()));
            }
            out.println(o);
        } else {
            out.printf(
                    Locale.ROOT,
                    "%s, eve %s: %,d pulses (%.3f s of link time) in %.2f s wall: %,d detections, %,d sifted%n",
                    set.name(),
                    r.attack(),
                    r.pulses(),
                    r.linkSeconds(),
                    r.wallSeconds(),
                    r.detections(),
                    r.siftedBits());
            out.printf(Locale.ROOT, "%-8s %12s %12s %9s %9s%n", "level", "gain", "analytic", "QBER", "analytic");
            row(
                    out,
                    "signal",
                    r.gain().signal(),
                    r.analyticGain().signal(),
                    r.qber().signal(),
                    r.analyticQber().signal());
            row(
                    out,
                    "decoy",
                    r.gain().decoy(),
                    r.analyticGain().decoy(),
                    r.qber().decoy(),
                    r.analyticQber().decoy());
            row(
                    out,
                    "vacuum",
                    r.gain().vacuum(),
                    r.analyticGain().vacuum(),
                    r.qber().vacuum(),
                    r.analyticQber().vacuum());
            out.printf(Locale.ROOT, "decoy-state key rate from these figures: %.4e bit/pulse%n", r.decoyRatePerPulse());
            if (d != null) {
                out.printf(
                        Locale.ROOT,
                        "distilled in blocks of %,d detections: %d blocks (%d aborted), %,d secret bits (finite-key"
                                + " bound %,d), reconciliation efficiency %.3f, %,d authentication bits spent%n",
                        blockBits,
                        d.blocks(),
                        d.abortedBlocks(),
                        d.secretBits(),
                        d.finiteKeyBoundBits(),
                        d.efficiency(),
                        d.authBitsConsumed());
            }
        }
        out.flush();
    }

    private static void row(PrintWriter out, String name, double g, double ga, double q, double qa) {
        out.printf(Locale.ROOT, "%-8s %12.4e %12.4e %8.2f%% %8.2f%%%n", name, g, ga, 100 * q, 100 * qa);
    }

    private static void level(ObjectNode o, PerLevel v) {
        put(o, "signal", v.signal());
        put(o, "decoy", v.decoy());
        put(o, "vacuum", v.vacuum());
    }

    private static void put(ObjectNode o, String key, double v) {
        if (Double.isNaN(v)) {
            o.putNull(key);
        } else {
            o.put(key, v);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
