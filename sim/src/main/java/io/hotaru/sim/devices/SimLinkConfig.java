package io.hotaru.sim.devices;

import io.hotaru.drivers.DeviceException;
import io.hotaru.drivers.DeviceUri;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.sim.params.ParameterSets;
import io.hotaru.sim.physics.Attack;
import io.hotaru.sim.physics.CounterRandom;
import io.hotaru.sim.physics.DetectorImperfections;
import io.hotaru.sim.physics.LinkModel;
import io.hotaru.sim.physics.LinkParameters;
import io.hotaru.sim.physics.ParameterSet;
import io.hotaru.sim.physics.QuantumChannel;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A simulated link as its URI describes it; both ends ({@code sim:alice} and {@code sim:bob}) are
 * given the same parameters:
 *
 * <table>
 * <caption>URI parameters</caption>
 * <tr><td>{@code link}</td><td>required</td><td>link name; mixed into the seed</td></tr>
 * <tr><td>{@code seed}</td><td>required</td><td>64-bit integer</td></tr>
 * <tr><td>{@code params}</td><td>{@code demo}</td><td>a built-in parameter set ({@code demo},
 *     {@code gys}, {@code fibre-1ghz}, {@code micius}) or the path of a YAML file (see {@link
 *     ParameterSets}); a satellite set runs at its fibre fields here (use the simulation runner for
 *     passes)</td></tr>
 * <tr><td>{@code distance_km}</td><td>of the set</td><td>fibre length</td></tr>
 * <tr><td>{@code extra_loss_db}</td><td>of the set</td><td>loss on top of the fibre's</td></tr>
 * <tr><td>{@code rate_hz}</td><td>of the set</td><td>repetition rate; the slot period must be a
 *     whole number of picoseconds</td></tr>
 * <tr><td>{@code time_scale}</td><td>1.0</td><td>link seconds per wall-clock second (time tagger
 *     only; accepted by both ends so that they share one URI)</td></tr>
 * <tr><td>{@code eve}</td><td>{@code none}</td><td>an eavesdropper: {@code intercept-resend[:fraction]},
 *     {@code pns}, {@code blinding}, {@code trojan[:watts]}, {@code time-shift[:ps]} (see {@link
 *     Attack}); its signature shows on the time tagger, the detector control or the power monitor</td></tr>
 * </table>
 *
 * <p>The node agent can learn what a simulated link will do from its URI alone: {@code
 * AnalyticModel.of(SimLinkConfig.parse(uri).parameters())}.
 *
 * @param uri the URI the link was read from
 * @param link the link's name
 * @param seed the seed
 * @param parameterSet name of the parameter set the parameters started from
 * @param parameters the link's physics, with the URI's overrides applied
 * @param timeScale link seconds per wall-clock second
 * @param detectors imperfections of Bob's detectors
 * @param attack the eavesdropper, {@link Attack#NONE} without one
 * @param impairments slow drifts of the channel and of Bob's clock, {@link Impairments#NONE} by default
 * @param channel the optical path: the parameters' fibre as parsed, or a satellite pass given by
 *     {@link #withChannel} (no URI parameter describes a pass)
 */
public record SimLinkConfig(
        String uri,
        String link,
        long seed,
        String parameterSet,
        LinkParameters parameters,
        double timeScale,
        DetectorImperfections detectors,
        Attack attack,
        Impairments impairments,
        QuantumChannel channel) {

    /**
     * What drifts on a link while it runs.
     *
     * @param polarisationDriftDegPerSecond angular speed of the fibre's polarisation drift, ≥ 0
     * @param clockOffsetPs offset of Bob's time tags, ps
     * @param clockDriftPpm rate error of Bob's clock, ppm
     */
    public record Impairments(double polarisationDriftDegPerSecond, long clockOffsetPs, double clockDriftPpm) {

        public static final Impairments NONE = new Impairments(0, 0, 0);

        /** Whether Bob's time tags differ from the link's slot clock. */
        public boolean clockSkewed() {
            return clockOffsetPs != 0 || clockDriftPpm != 0;
        }
    }

    /** The URI parameters of {@code sim:alice} and {@code sim:bob}. */
    public static final List<String> PARAMETERS = List.of(
            "link",
            "seed",
            "params",
            "distance_km",
            "extra_loss_db",
            "rate_hz",
            "time_scale",
            "eve",
            "pol_drift",
            "clock_offset_ps",
            "clock_drift_ppm");

    /** The parameter set used when the URI names none. */
    public static final String DEFAULT_PARAMETER_SET = "demo";

    /** Parses and validates a {@code sim:alice} or {@code sim:bob} URI. */
    public static SimLinkConfig parse(String uri) {
        return parse(DeviceUri.parse(uri));
    }

    /**
     * Parses and validates a {@code sim:alice} or {@code sim:bob} URI.
     *
     * @throws DeviceException {@code BAD_URI} naming the offending parameter
     */
    public static SimLinkConfig parse(DeviceUri uri) {
        if (!uri.scheme().equals(SimDriverProvider.SCHEME)) {
            throw new DeviceException(
                    DeviceException.Code.BAD_URI, "device URI '" + uri.text() + "' is not a sim: URI");
        }
        SimUris.requireOnlyKnown(uri, PARAMETERS);
        String link = uri.require("link");
        long seed = SimUris.requireLong(uri, "seed");
        String set = uri.param("params").orElse(DEFAULT_PARAMETER_SET);
        ParameterSet ps;
        try {
            ps = ParameterSets.load(set);
        } catch (IllegalArgumentException e) {
            throw SimUris.bad(uri, "params", e.getMessage());
        }
        LinkParameters p = ps.link();
        p = override(uri, p, "distance_km", LinkParameters::withLengthKm);
        p = override(uri, p, "extra_loss_db", LinkParameters::withExtraLossDb);
        p = override(uri, p, "rate_hz", LinkParameters::withRepetitionRateHz);
        double period = p.slotPeriodPs();
        if (period < 1 || period != Math.rint(period)) {
            throw SimUris.bad(
                    uri, "rate_hz", "the slot period 1/rate must be a whole number of picoseconds, got " + period);
        }
        double timeScale = uri.doubleParam("time_scale", 1.0);
        if (!(timeScale > 0 && timeScale < Double.POSITIVE_INFINITY)) {
            throw SimUris.bad(uri, "time_scale", "must be finite and > 0, got " + timeScale);
        }
        Attack attack = Attack.NONE;
        if (uri.param("eve").isPresent()) {
            try {
                attack = Attack.parse(uri.param("eve").get());
            } catch (IllegalArgumentException e) {
                throw SimUris.bad(uri, "eve", e.getMessage());
            }
        }
        return new SimLinkConfig(
                uri.text(), link, seed, set, p, timeScale, ps.detectors(), attack, impairments(uri), p.channel());
    }

    private static Impairments impairments(DeviceUri uri) {
        double polarisation = uri.doubleParam("pol_drift", 0);
        if (!(polarisation >= 0 && polarisation <= 1e6)) {
            throw SimUris.bad(uri, "pol_drift", "must be between 0 and 1e6 degrees per second, got " + polarisation);
        }
        long offset = uri.param("clock_offset_ps").isPresent() ? uri.longParam("clock_offset_ps", 0) : 0;
        if (Math.abs(offset) > 1_000_000_000_000L) {
            throw SimUris.bad(uri, "clock_offset_ps", "must be within ±1 s (±1e12 ps), got " + offset);
        }
        double ppm = uri.doubleParam("clock_drift_ppm", 0);
        if (!(Math.abs(ppm) < 1000)) {
            throw SimUris.bad(uri, "clock_drift_ppm", "must be within ±1000 ppm, got " + ppm);
        }
        return new Impairments(polarisation, offset, ppm);
    }

    /** The parameters of a {@code sim:alice} or {@code sim:bob} URI. */
    public static LinkParameters linkParameters(String uri) {
        return parse(uri).parameters();
    }

    private static LinkParameters override(
            DeviceUri uri, LinkParameters p, String name, BiFunction<LinkParameters, Double, LinkParameters> with) {
        if (uri.param(name).isEmpty()) {
            return p;
        }
        double value = uri.doubleParam(name, 0);
        try {
            return with.apply(p, value);
        } catch (IllegalArgumentException e) {
            throw SimUris.bad(uri, name, e.getMessage());
        }
    }

    /** The link as the sampler runs it: parameters, channel, detectors and eavesdropper. */
    public LinkModel model() {
        return LinkModel.of(parameters)
                .withChannel(channel)
                .withDetectors(detectors)
                .withAttack(attack);
    }

    /**
     * This link over {@code channel} instead of the parameters' fibre, e.g. a satellite pass ({@code
     * PassChannel}) whose time 0 is the tagger's link time 0. Open the ends with {@code new
     * SimPhotonSource(config)} and {@code new SimTimeTagger(config, clock)}.
     */
    public SimLinkConfig withChannel(QuantumChannel channel) {
        java.util.Objects.requireNonNull(channel, "channel");
        return new SimLinkConfig(
                uri, link, seed, parameterSet, parameters, timeScale, detectors, attack, impairments, channel);
    }

    /** The key of the link's random streams: the seed mixed with the link name. */
    public long linkKey() {
        return CounterRandom.linkKey(seed, link);
    }

    /** One slot in picoseconds (a whole number, checked by {@link #parse}). */
    public long slotPeriodPs() {
        return (long) parameters.slotPeriodPs();
    }

    /** The source settings an Alice of this link reports. */
    public SourceSettings sourceSettings() {
        return new SourceSettings(
                parameters.repetitionRateHz(),
                parameters.intensities(),
                parameters.intensityProbabilities(),
                parameters.zBasisProbability());
    }
}
