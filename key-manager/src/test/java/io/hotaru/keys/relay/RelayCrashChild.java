package io.hotaru.keys.relay;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;

/**
 * The relay network that {@link RelayCrashIT} kills: opens the line A–B–C–D on the stores and
 * journals in the directory (the same seed reopens the same stores; a fresh authentication
 * bootstrap per run), settles the relays a previous run left in doubt, prints READY, then relays
 * 256-bit keys between A and D in both directions as fast as it can. Never returns by itself.
 */
public final class RelayCrashChild {
    static final long SEED = 0xC0FFEEL;
    static final int UNITS_PER_LINK = 4_000;

    private RelayCrashChild() {}

    static RelayNetwork open(Path dir, long authSeed) throws Exception {
        RelayNetwork net = new RelayNetwork(dir, SEED, Duration.ofSeconds(5), authSeed);
        net.node("A").node("B").node("C").node("D");
        net.link("A", "B", UNITS_PER_LINK).link("B", "C", UNITS_PER_LINK).link("C", "D", UNITS_PER_LINK);
        net.converge();
        return net;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Random random = new Random(Long.parseLong(args[1]));
        RelayNetwork net = open(dir, random.nextLong());
        int inDoubt = 0;
        int left = 0;
        for (RelayNode node : net.nodes.values()) {
            inDoubt += node.inDoubt();
            left += node.resolveInDoubt();
        }
        System.out.println("READY " + inDoubt + " " + left);
        System.out.flush();
        while (true) {
            boolean forward = random.nextBoolean();
            net.at(forward ? "A" : "D").relay(forward ? "D" : "A", 256, RoutePolicy.any());
        }
    }
}
