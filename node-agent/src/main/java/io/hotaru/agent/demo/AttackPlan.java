package io.hotaru.agent.demo;

import io.hotaru.agent.cli.DurationConverter;
import io.hotaru.agent.topology.Topology;
import java.time.Duration;
import java.util.Locale;

/**
 * An attack of the demo, {@code KIND@LINK[,at=T]}: the sim's eavesdropper {@code KIND} put on fibre
 * link {@code LINK} at {@code T} after the start (at once without {@code at}). The kinds are those the
 * demo's monitors can see from the distillation's figures: {@code intercept-resend[:FRACTION]}
 * (QBER) and {@code pns} (decoy statistics).
 *
 * @param eve the sim's {@code eve} parameter, e.g. {@code intercept-resend:1.0}
 */
record AttackPlan(String eve, String link, Duration at) {

    static final String FORMAT = "KIND@LINK[,at=TIME] with KIND intercept-resend[:FRACTION] or pns";

    /**
     * Parses {@code spec} against {@code topology}'s fibre links.
     *
     * @throws IllegalArgumentException naming what is wrong and the expected form
     */
    static AttackPlan parse(String spec, Topology topology) {
        int atSign = spec.indexOf('@');
        if (atSign <= 0) {
            throw new IllegalArgumentException("'" + spec + "' is not " + FORMAT);
        }
        String kind = spec.substring(0, atSign).trim().toLowerCase(Locale.ROOT);
        String rest = spec.substring(atSign + 1);
        String link = rest;
        Duration at = Duration.ZERO;
        int comma = rest.indexOf(',');
        if (comma >= 0) {
            link = rest.substring(0, comma);
            String option = rest.substring(comma + 1).trim();
            if (!option.startsWith("at=")) {
                throw new IllegalArgumentException("'" + option + "' in '" + spec + "' is not at=TIME, e.g. at=20s");
            }
            try {
                at = DurationConverter.parse(option.substring(3));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("'" + option + "' in '" + spec + "': the time is like 20s or 1m");
            }
        }
        link = link.trim();
        String eve = eve(kind, spec);
        String id = link;
        if (topology.fibreLinks().stream().noneMatch(l -> l.id().equals(id))) {
            String known = String.join(
                    ", ", topology.fibreLinks().stream().map(l -> l.id()).toList());
            throw new IllegalArgumentException(
                    "no fibre link '" + link + "' in topology " + topology.name() + "; its fibre links are " + known);
        }
        return new AttackPlan(eve, link, at);
    }

    private static String eve(String kind, String spec) {
        if (kind.equals("pns")) {
            return "pns";
        }
        if (kind.equals("intercept-resend")) {
            return "intercept-resend:1.0";
        }
        if (kind.startsWith("intercept-resend:")) {
            double fraction;
            try {
                fraction = Double.parseDouble(kind.substring("intercept-resend:".length()));
            } catch (NumberFormatException e) {
                fraction = Double.NaN;
            }
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException(
                        "the intercept-resend fraction in '" + spec + "' must be in (0, 1], e.g. intercept-resend:0.5");
            }
            return "intercept-resend:" + fraction;
        }
        throw new IllegalArgumentException("unknown attack '" + kind + "' in '" + spec + "'; expected " + FORMAT);
    }
}
