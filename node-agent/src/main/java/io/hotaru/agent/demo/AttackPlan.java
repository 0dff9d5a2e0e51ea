package io.hotaru.agent.demo;

import io.hotaru.agent.cli.DurationConverter;
import io.hotaru.agent.topology.Topology;
import io.hotaru.sim.physics.Attack;
import java.time.Duration;
import java.util.Locale;

/**
 * An attack of the demo, {@code KIND@LINK[,at=T]}: the sim's eavesdropper {@code KIND} put on link
 * {@code LINK} (fibre or satellite) at {@code T} after the start (at once without {@code at}). Every
 * kind the simulator models, each seen by its monitor: {@code intercept-resend[:FRACTION]} (QBER),
 * {@code pns} (decoy statistics), {@code blinding} (the receiver's self-test pulses), {@code
 * trojan[:WATTS]} (the transmitter's power monitor), {@code time-shift[:PS]} (arrival times).
 *
 * @param eve the sim's {@code eve} parameter, e.g. {@code intercept-resend:1.0}
 */
record AttackPlan(String eve, String link, Duration at) {

    static final String FORMAT = "KIND@LINK[,at=TIME] with KIND intercept-resend[:FRACTION], pns, blinding,"
            + " trojan[:WATTS] or time-shift[:PS]";

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
        if (topology.links().stream().noneMatch(l -> l.id().equals(id))) {
            String known =
                    String.join(", ", topology.links().stream().map(l -> l.id()).toList());
            throw new IllegalArgumentException(
                    "no link '" + link + "' in topology " + topology.name() + "; its links are " + known);
        }
        return new AttackPlan(eve, link, at);
    }

    private static String eve(String kind, String spec) {
        Attack attack;
        try {
            attack = Attack.parse(kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + spec + "': " + e.getMessage() + "; expected " + FORMAT);
        }
        if (attack instanceof Attack.None) {
            throw new IllegalArgumentException("'" + spec + "' puts no attack on the link; expected " + FORMAT);
        }
        return attack.spec();
    }
}
