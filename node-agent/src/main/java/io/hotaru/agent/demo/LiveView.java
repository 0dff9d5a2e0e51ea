package io.hotaru.agent.demo;

import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.store.KeyStore;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's terminal view: one line per link (state, QBER, secret rate of key stored over the last
 * 20 s, pool, the attack on it), the satellite links' passes (window, peak elevation, key per pass)
 * and the recent alarms. On a terminal it redraws the same lines
 * in place (ANSI cursor movement); otherwise it prints the block as plain lines each time.
 */
final class LiveView {

    /** How many of the latest alarm lines the view shows. */
    static final int ALARM_LINES = 4;

    private final PrintWriter out;
    private final boolean inPlace;
    /** Width of the window over which the secret rate is averaged (blocks come seconds apart). */
    static final double RATE_WINDOW_S = 20;

    private final Map<String, ArrayDeque<double[]>> stored = new HashMap<>();
    private int drawnLines;

    /** Wall-clock time of the run's second 0, epoch milliseconds (where pass windows are placed). */
    private final long startMillis;

    LiveView(PrintWriter out, boolean inPlace, long startMillis) {
        this.out = out;
        this.inPlace = inPlace;
        this.startMillis = startMillis;
    }

    /** Draws the network's state at {@code seconds} since the start; {@code alarms} newest last. */
    synchronized void draw(TopologyNetwork network, double seconds, List<String> alarms) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(
                Locale.ROOT,
                "[%6.1fs] %-10s %-8s %7s %12s %10s  %s",
                seconds,
                "link",
                "state",
                "QBER",
                "secret b/s",
                "pool keys",
                "attack"));
        for (DemoLink l : network.allLinks()) {
            lines.add(linkLine(l, seconds));
        }
        for (SatelliteLinkRun l : network.satelliteLinks()) {
            lines.add(passLine(l, seconds));
        }
        network.notStarted()
                .forEach(
                        (id, why) -> lines.add(String.format(Locale.ROOT, "          %-10s not running: %s", id, why)));
        int from = Math.max(0, alarms.size() - ALARM_LINES);
        for (String a : alarms.subList(from, alarms.size())) {
            lines.add("          " + a);
        }
        if (inPlace && drawnLines > 0) {
            out.print("\033[" + drawnLines + "A");
        }
        for (String line : lines) {
            out.print(inPlace ? "\033[2K" + line + "\n" : line + "\n");
        }
        out.flush();
        drawnLines = lines.size();
    }

    /** The next drawing starts below whatever was printed since the last one. */
    synchronized void startBelow() {
        drawnLines = 0;
    }

    private String linkLine(DemoLink l, double seconds) {
        String id = l.id();
        ArrayDeque<double[]> samples = stored.computeIfAbsent(id, k -> new ArrayDeque<>());
        samples.addLast(new double[] {seconds, l.storedKeyBits()});
        while (samples.size() > 2 && seconds - samples.peekFirst()[0] > RATE_WINDOW_S) {
            samples.removeFirst();
        }
        double[] first = samples.peekFirst();
        double rate = seconds - first[0] < 1 ? Double.NaN : (l.storedKeyBits() - first[1]) / (seconds - first[0]);
        KeyStore store = l.transmitterStore();
        LinkState state = l.state();
        return String.format(
                Locale.ROOT,
                "          %-10s %-8s %7s %12s %,10d  %s",
                id,
                state,
                percent(l.receiverStats().lastQber()),
                Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate),
                store.availableCount(id),
                "none".equals(l.eve()) ? "-" : l.eve());
    }

    /** The passes of a satellite link: each one's wall-clock window, peak elevation and key so far. */
    private String passLine(SatelliteLinkRun l, double seconds) {
        long start = startMillis;
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "          %-10s passes:", l.id()));
        List<SatelliteLinkRun.PassResult> passes = l.passes();
        if (passes.isEmpty()) {
            b.append(" none within the run");
        }
        for (SatelliteLinkRun.PassResult p : passes) {
            b.append(String.format(
                    Locale.ROOT,
                    " [%.0f-%.0fs, max %.0f°, %s, %d blocks, %,d bits]",
                    (p.aosWallMillis() - start) / 1000.0,
                    (p.losWallMillis() - start) / 1000.0,
                    p.maxElevationDeg(),
                    p.status(),
                    p.blocks(),
                    p.keyBits()));
        }
        return b.toString();
    }

    static String percent(double q) {
        return Double.isNaN(q) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * q);
    }
}
