package io.hotaru.agent.orbit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.sim.orbit.GroundStation;
import io.hotaru.sim.orbit.PassPredictor;
import io.hotaru.sim.orbit.PropagationException;
import io.hotaru.sim.orbit.SatellitePass;
import io.hotaru.sim.orbit.Tle;
import io.hotaru.sim.orbit.TleFormatException;
import io.hotaru.sim.orbit.TleReader;
import io.hotaru.sim.orbit.UtcTime;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ./hotaru passes}: satellite passes over a ground station, from a TLE with SGP4. */
@Command(
        name = "passes",
        mixinStandardHelpOptions = true,
        description = "Predict the passes of a satellite (TLE, SGP4) over a ground station.",
        sortOptions = false)
public final class PassesCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--tle",
            required = true,
            paramLabel = "FILE",
            description = "TLE file (two-line or three-line elements); the first element set is used.")
    private Path tleFile;

    @Option(
            names = "--station",
            required = true,
            paramLabel = "LAT,LON,ALT_M",
            description = "Ground station: geodetic latitude and longitude in degrees, altitude in metres (WGS-84).")
    private String station;

    @Option(
            names = "--from",
            required = true,
            paramLabel = "ISO8601",
            description = "Start of the search window, e.g. 2026-11-25T00:00:00Z.")
    private String from;

    @Option(
            names = "--hours",
            defaultValue = "24",
            paramLabel = "H",
            description = "Length of the search window in hours, at most 744 (default: ${DEFAULT-VALUE}).")
    private double hours;

    @Option(
            names = "--min-elevation",
            defaultValue = "0",
            paramLabel = "DEG",
            description = "Elevation mask in degrees (default: ${DEFAULT-VALUE}).")
    private double minElevationDeg;

    @Option(names = "--json", description = "Print one JSON object on stdout.")
    private boolean json;

    @Override
    public Integer call() {
        if (!(hours > 0 && hours <= 744)) {
            throw usage("--hours must be in (0, 744], got " + hours);
        }
        if (!(minElevationDeg >= -5 && minElevationDeg < 90)) {
            throw usage("--min-elevation must be in [-5, 90), got " + minElevationDeg);
        }
        GroundStation gs;
        UtcTime start;
        try {
            gs = GroundStation.parse(station);
        } catch (IllegalArgumentException e) {
            throw usage("--station '" + station + "': " + e.getMessage());
        }
        try {
            start = UtcTime.parse(from);
        } catch (IllegalArgumentException e) {
            throw usage("--from '" + from + "': " + e.getMessage());
        }
        Tle tle = readTle();
        List<SatellitePass> passes;
        try {
            passes = new PassPredictor(tle, gs)
                    .predict(start, Duration.ofMillis(Math.round(hours * 3_600_000)), minElevationDeg);
        } catch (PropagationException e) {
            throw CliFailure.runtime("cannot propagate " + label(tle) + " from " + tleFile + ": " + e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(toJson(tle, gs, start, passes));
        } else {
            printTable(out, tle, gs, passes);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Tle readTle() {
        List<String> lines;
        try {
            lines = Files.readAllLines(tleFile, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw usage("--tle " + tleFile + ": no such file");
        } catch (IOException e) {
            throw usage("--tle " + tleFile + ": cannot read it (" + e.getMessage() + ")");
        }
        try {
            List<Tle> tles = TleReader.parse(tleFile.toString(), lines);
            if (tles.isEmpty()) {
                throw usage("--tle " + tleFile + ": no element set found");
            }
            return tles.get(0);
        } catch (TleFormatException e) {
            throw usage(e.getMessage());
        }
    }

    private String toJson(Tle tle, GroundStation gs, UtcTime start, List<SatellitePass> passes) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        root.put("satellite", label(tle));
        root.put("norad_id", tle.catalogNumber());
        ObjectNode st = root.putObject("station");
        st.put("latitude_deg", gs.latitudeDeg());
        st.put("longitude_deg", gs.longitudeDeg());
        st.put("altitude_m", gs.altitudeM());
        root.put("from", start.toString());
        root.put("hours", hours);
        root.put("min_elevation_deg", minElevationDeg);
        ArrayNode list = root.putArray("passes");
        for (SatellitePass p : passes) {
            ObjectNode n = list.addObject();
            n.put("aos", p.aos().toString());
            n.put("los", p.los().toString());
            n.put("duration_s", round(p.durationSeconds(), 1));
            n.put("max_elevation_deg", round(p.maxElevationDeg(), 3));
            n.put("max_elevation_time", p.maxElevationTime().toString());
            n.put("min_range_km", round(p.minRangeM() / 1000.0, 3));
            n.put("starts_before_window", p.startsBeforeWindow());
            n.put("ends_after_window", p.endsAfterWindow());
        }
        return root.toString();
    }

    private static void printTable(PrintWriter out, Tle tle, GroundStation gs, List<SatellitePass> passes) {
        out.printf(
                Locale.ROOT,
                "%s over %.4f, %.4f, %.0f m: %d pass(es)%n",
                label(tle),
                gs.latitudeDeg(),
                gs.longitudeDeg(),
                gs.altitudeM(),
                passes.size());
        out.printf(Locale.ROOT, "%-24s  %-24s  %8s  %9s  %12s%n", "AOS", "LOS", "dur (s)", "max el", "min range");
        for (SatellitePass p : passes) {
            out.printf(
                    Locale.ROOT,
                    "%-24s  %-24s  %8.0f  %8.2f°  %9.1f km%n",
                    p.aos(),
                    p.los(),
                    p.durationSeconds(),
                    p.maxElevationDeg(),
                    p.minRangeM() / 1000.0);
        }
    }

    private static String label(Tle tle) {
        return tle.name().isEmpty() ? "NORAD " + tle.catalogNumber() : tle.name();
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
