package io.hotaru.sim.params;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.hotaru.sim.physics.DetectorImperfections;
import io.hotaru.sim.physics.FreeSpaceChannel;
import io.hotaru.sim.physics.LinkParameters;
import io.hotaru.sim.physics.ParameterSet;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads parameter sets from YAML: the built-in ones by name ({@link #NAMES}, resources next to this
 * class) and user files by path. Everything is validated once, here; an error names the file, the
 * field and its line.
 */
public final class ParameterSets {

    /** The built-in sets. */
    public static final List<String> NAMES = List.of("demo", "metro", "gys", "fibre-1ghz", "micius");

    private static final Map<String, Set<String>> KEYS = Map.of(
            "",
            Set.of("name", "description", "reference", "source", "fibre", "detector", "free_space", "post_processing"),
            "source",
            Set.of("repetition_rate_hz", "intensities", "probabilities", "z_basis_probability"),
            "fibre",
            Set.of("attenuation_db_per_km", "length_km", "extra_loss_db"),
            "detector",
            Set.of(
                    "efficiency",
                    "dark_count_probability",
                    "misalignment_error",
                    "z_basis_probability",
                    "relative_efficiencies",
                    "afterpulse_probability",
                    "afterpulse_decay_ns",
                    "dead_time_ns",
                    "timing_jitter_ps"),
            "free_space",
            Set.of(
                    "wavelength_nm",
                    "transmitter_aperture_m",
                    "receiver_aperture_m",
                    "divergence_rad",
                    "zenith_transmittance",
                    "pointing_error_rad",
                    "extra_loss_db",
                    "background_counts_per_second_night",
                    "background_counts_per_second_day",
                    "detection_window_ns",
                    "altitude_km"),
            "post_processing",
            Set.of("error_correction_efficiency", "sifting_factor"));

    private ParameterSets() {}

    /**
     * The built-in set called {@code nameOrPath}, or else the YAML file at that path.
     *
     * @throws ParameterSetException for an unknown set, a missing file or bad content
     */
    public static ParameterSet load(String nameOrPath) {
        if (NAMES.contains(nameOrPath)) {
            String resource = nameOrPath + ".yaml";
            try (InputStream in = ParameterSets.class.getResourceAsStream(resource)) {
                return parse(resource, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new ParameterSetException(resource, "", 0, "cannot read the built-in set: " + e.getMessage());
            }
        }
        Path path = Path.of(nameOrPath);
        if (!nameOrPath.endsWith(".yaml") && !nameOrPath.endsWith(".yml") && !Files.exists(path)) {
            throw new ParameterSetException(
                    nameOrPath,
                    "",
                    0,
                    "unknown parameter set (known: " + String.join(", ", NAMES) + ", or a path to a YAML file)");
        }
        try {
            return parse(path.toString(), Files.readString(path));
        } catch (IOException e) {
            throw new ParameterSetException(path.toString(), "", 0, "cannot read the file: " + e);
        }
    }

    /** Parses YAML {@code text}; {@code file} names it in errors. */
    public static ParameterSet parse(String file, String text) {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        Map<String, Integer> lines = new HashMap<>();
        JsonNode root;
        try {
            try (JsonParser p = mapper.getFactory().createParser(text)) {
                while (p.nextToken() != null) {
                    if (p.currentToken() == JsonToken.FIELD_NAME) {
                        String parent = p.getParsingContext().getParent().getCurrentName();
                        String key = parent == null ? p.currentName() : parent + "." + p.currentName();
                        lines.put(key, p.currentLocation().getLineNr());
                    }
                }
            }
            root = mapper.readTree(text);
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new ParameterSetException(file, "", line, "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ParameterSetException(file, "", 0, e.getMessage());
        }
        return new Reader(file, root, lines).read();
    }

    /** Reads one document, checking each field where it is read. */
    private static final class Reader {
        private final String file;
        private final JsonNode root;
        private final Map<String, Integer> lines;

        Reader(String file, JsonNode root, Map<String, Integer> lines) {
            this.file = file;
            this.root = root;
            this.lines = lines;
        }

        ParameterSet read() {
            if (root == null || !root.isObject()) {
                throw fail("", "expected a mapping of sections");
            }
            checkKeys("", root);
            for (String section : List.of("source", "fibre", "detector", "free_space", "post_processing")) {
                if (root.has(section)) {
                    checkKeys(section, root.get(section));
                }
            }
            double rate = positive("source.repetition_rate_hz");
            double[] mu = array("source.intensities", -1, false);
            double[] p = array("source.probabilities", mu.length, true);
            double sum = 0;
            for (double x : p) {
                sum += x;
            }
            if (Math.abs(sum - 1) > 1e-9) {
                throw fail("source.probabilities", "must sum to 1, got " + sum);
            }
            double pz = probability("source.z_basis_probability");
            if (pz == 0 || pz == 1) {
                throw fail("source.z_basis_probability", "must be strictly between 0 and 1, got " + pz);
            }
            LinkParameters link = new LinkParameters(
                    rate,
                    mu,
                    p,
                    pz,
                    nonNegative("fibre.attenuation_db_per_km", null),
                    nonNegative("fibre.length_km", null),
                    nonNegative("fibre.extra_loss_db", 0.0),
                    probability("detector.efficiency"),
                    probability("detector.dark_count_probability"),
                    probability("detector.misalignment_error"),
                    receiverZ(pz));
            DetectorImperfections d = new DetectorImperfections(
                    node("detector.relative_efficiencies") == null
                            ? new double[] {1, 1, 1, 1}
                            : array("detector.relative_efficiencies", 4, true),
                    optionalProbability("detector.afterpulse_probability"),
                    nonNegative("detector.afterpulse_decay_ns", 0.0),
                    nonNegative("detector.dead_time_ns", 0.0),
                    nonNegative("detector.timing_jitter_ps", 0.0));
            FreeSpaceChannel fs = null;
            double altitude = Double.NaN;
            if (root.has("free_space")) {
                fs = new FreeSpaceChannel(
                        positive("free_space.wavelength_nm"),
                        positive("free_space.transmitter_aperture_m"),
                        positive("free_space.receiver_aperture_m"),
                        positive("free_space.divergence_rad"),
                        probability("free_space.zenith_transmittance"),
                        nonNegative("free_space.pointing_error_rad", 0.0),
                        nonNegative("free_space.extra_loss_db", 0.0),
                        nonNegative("free_space.background_counts_per_second_night", 0.0),
                        nonNegative("free_space.background_counts_per_second_day", 0.0),
                        nonNegative("free_space.detection_window_ns", 0.0));
                altitude = positive("free_space.altitude_km");
            }
            double f = nonNegative("post_processing.error_correction_efficiency", 1.22);
            if (f < 1) {
                throw fail("post_processing.error_correction_efficiency", "must be >= 1, got " + f);
            }
            return new ParameterSet(
                    text("name"),
                    text("description"),
                    root.has("reference") ? text("reference") : "",
                    link,
                    d,
                    fs,
                    altitude,
                    f,
                    optionalProbabilityOr("post_processing.sifting_factor", 0.5));
        }

        /** Bob's passive basis split: the detector's own if given, else matched to the source's p_Z. */
        private double receiverZ(double sourceZ) {
            if (node("detector.z_basis_probability") == null) {
                return sourceZ;
            }
            double v = probability("detector.z_basis_probability");
            if (v == 0 || v == 1) {
                throw fail("detector.z_basis_probability", "must be strictly between 0 and 1, got " + v);
            }
            return v;
        }

        private void checkKeys(String section, JsonNode n) {
            if (!n.isObject()) {
                throw fail(section, "expected a mapping");
            }
            Set<String> known = KEYS.get(section);
            for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
                String k = it.next();
                if (!known.contains(k)) {
                    String field = section.isEmpty() ? k : section + "." + k;
                    throw fail(
                            field,
                            "unknown key (known: "
                                    + String.join(", ", known.stream().sorted().toList()) + ")");
                }
            }
        }

        private JsonNode node(String field) {
            JsonNode n = root;
            for (String part : field.split("\\.")) {
                n = n == null ? null : n.get(part);
            }
            return n;
        }

        private String text(String field) {
            JsonNode n = node(field);
            if (n == null || !n.isValueNode()) {
                throw fail(field, "missing");
            }
            return n.asText();
        }

        private double number(String field, Double defaultValue) {
            JsonNode n = node(field);
            if (n == null || n.isNull()) {
                if (defaultValue == null) {
                    throw fail(field, "missing");
                }
                return defaultValue;
            }
            if (!n.isNumber()) {
                throw fail(field, "must be a number, got '" + n.asText() + "'");
            }
            double v = n.asDouble();
            if (!Double.isFinite(v)) {
                throw fail(field, "must be finite, got " + v);
            }
            return v;
        }

        private double positive(String field) {
            double v = number(field, null);
            if (!(v > 0)) {
                throw fail(field, "must be > 0, got " + v);
            }
            return v;
        }

        private double nonNegative(String field, Double defaultValue) {
            double v = number(field, defaultValue);
            if (v < 0) {
                throw fail(field, "must be >= 0, got " + v);
            }
            return v;
        }

        private double probability(String field) {
            return checkProbability(field, number(field, null));
        }

        private double optionalProbability(String field) {
            return checkProbability(field, number(field, 0.0));
        }

        private double optionalProbabilityOr(String field, double d) {
            return checkProbability(field, number(field, d));
        }

        private double checkProbability(String field, double v) {
            if (!(v >= 0 && v <= 1)) {
                throw fail(field, "must be a probability in [0, 1], got " + v);
            }
            return v;
        }

        private double[] array(String field, int length, boolean probabilities) {
            JsonNode n = node(field);
            if (n == null || !n.isArray() || n.isEmpty()) {
                throw fail(field, "must be a non-empty list of numbers");
            }
            if (length >= 0 && n.size() != length) {
                throw fail(field, "must have " + length + " entries, got " + n.size());
            }
            double[] out = new double[n.size()];
            for (int i = 0; i < out.length; i++) {
                JsonNode x = n.get(i);
                if (!x.isNumber()) {
                    throw fail(field + "[" + i + "]", "must be a number, got '" + x.asText() + "'");
                }
                out[i] = x.asDouble();
                if (probabilities ? !(out[i] >= 0 && out[i] <= 1) : !(out[i] >= 0 && Double.isFinite(out[i]))) {
                    throw fail(
                            field + "[" + i + "]",
                            (probabilities ? "must be a probability in [0, 1]" : "must be finite and >= 0") + ", got "
                                    + out[i]);
                }
            }
            return out;
        }

        private ParameterSetException fail(String field, String reason) {
            Integer line = lines.get(field.replaceAll("\\[\\d+]$", ""));
            return new ParameterSetException(file, field, line == null ? 0 : line, reason);
        }
    }
}
