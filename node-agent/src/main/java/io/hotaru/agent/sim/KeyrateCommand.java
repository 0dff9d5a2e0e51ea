package io.hotaru.agent.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.sim.physics.KeyRates;
import io.hotaru.sim.physics.ParameterSet;
import io.hotaru.sim.run.Distances;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./hotaru keyrate}: the analytic decoy-state key rate over distance. */
@Command(
        name = "keyrate",
        mixinStandardHelpOptions = true,
        description = "Analytic decoy-state BB84 key rate per pulse over distance (infinite decoy, GLLP), with the"
                + " signal intensity optimised or fixed, and the maximum distance.",
        sortOptions = false)
public final class KeyrateCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--params",
            defaultValue = "gys",
            paramLabel = "NAME|FILE",
            description = "Parameter set: a built-in name (demo, metro, gys, fibre-1ghz, micius) or a YAML file"
                    + " (default: ${DEFAULT-VALUE}).")
    private String params;

    @Option(
            names = "--distance",
            defaultValue = "0:150:10",
            paramLabel = "KM",
            description = "Distances in km: FROM:TO:STEP or a comma list (default: ${DEFAULT-VALUE}).")
    private String distance;

    @Option(
            names = "--mu",
            defaultValue = "opt",
            paramLabel = "opt|VALUE",
            description = "Signal mean photon number, or 'opt' to optimise it at each distance (default: opt).")
    private String mu;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    private boolean json;

    @Override
    public Integer call() {
        ParameterSet set = ParameterSetOption.load(spec, params);
        double[] km;
        try {
            km = Distances.parse(distance);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--distance '" + distance + "': " + e.getMessage());
        }
        OptionalDouble fixedMu = parseMu();
        double f = set.errorCorrectionEfficiency();
        double q = set.siftingFactor();
        List<KeyRates.Point> points = KeyRates.curve(set.link(), km, fixedMu, f, q);
        double max = KeyRates.maxDistanceKm(set.link(), fixedMu, f, q);
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode root = mapper.createObjectNode();
            root.put("params", set.name());
            root.put("error_correction_efficiency", f);
            root.put("sifting_factor", q);
            ArrayNode list = root.putArray("points");
            for (KeyRates.Point p : points) {
                ObjectNode n = list.addObject();
                n.put("distance_km", p.distanceKm());
                n.put("eta", p.eta());
                n.put("mu", p.mu());
                n.put("gain", p.gain());
                n.put("qber", p.qber());
                n.put("rate_per_pulse", p.ratePerPulse());
            }
            root.put("max_distance_km", max);
            out.println(root);
        } else {
            out.printf(Locale.ROOT, "%s: f = %.2f, q = %.2f%n", set.name(), f, q);
            out.printf(Locale.ROOT, "%8s %12s %7s %12s %8s %14s%n", "km", "eta", "mu", "gain", "QBER", "R (bit/pulse)");
            for (KeyRates.Point p : points) {
                out.printf(
                        Locale.ROOT,
                        "%8.1f %12.4e %7.3f %12.4e %7.2f%% %14.4e%n",
                        p.distanceKm(),
                        p.eta(),
                        p.mu(),
                        p.gain(),
                        100 * p.qber(),
                        p.ratePerPulse());
            }
            out.printf(Locale.ROOT, "maximum distance: %.1f km%n", max);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private OptionalDouble parseMu() {
        if ("opt".equalsIgnoreCase(mu)) {
            return OptionalDouble.empty();
        }
        try {
            double v = Double.parseDouble(mu);
            if (!(v > 0 && v <= KeyRates.MU_MAX)) {
                throw new ParameterException(
                        spec.commandLine(), "--mu must be 'opt' or in (0, " + KeyRates.MU_MAX + "], got " + mu);
            }
            return OptionalDouble.of(v);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "--mu must be 'opt' or a number, got '" + mu + "'");
        }
    }
}
