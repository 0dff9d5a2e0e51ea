package io.hotaru.agent.demo;

import io.hotaru.agent.state.LinkState;
import io.hotaru.keys.store.KeyStore;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The demo's terminal view: one line per link (state, QBER, secret rate of key stored, pool, the
 * attack on it), the satellite links and the recent alarms. On a terminal it redraws the same lines
 * in place (ANSI cursor movement); otherwise it prints the block as plain lines each time.
 */
final class LiveView {

    /** How many of the latest alarm lines the view shows. */
    static final int ALARM_LINES = 4;

    private final PrintWriter out;
    private final boolean inPlace;
    private final Map<String, long[]> lastStored = new HashMap<>();
    private int drawnLines;

    LiveView(PrintWriter out, boolean inPlace) {
        this.out = out;
        this.inPlace = inPlace;
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
        for (FibreLinkRun l : network.links()) {
            lines.add(linkLine(l, seconds));
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

    private String linkLine(FibreLinkRun l, double seconds) {
        String id = l.link().id();
        long stored = l.storedKeyBits();
        long[] last = lastStored.put(id, new long[] {Math.round(seconds * 1000), stored});
        double rate = last == null || seconds * 1000 <= last[0]
                ? Double.NaN
                : (stored - last[1]) * 1000.0 / (seconds * 1000 - last[0]);
        KeyStore store = l.transmitterEnd().store();
        LinkState state = l.state();
        return String.format(
                Locale.ROOT,
                "          %-10s %-8s %7s %12s %,10d  %s",
                id,
                state,
                percent(l.receiverStats().lastQber()),
                Double.isNaN(rate) ? "-" : String.format(Locale.ROOT, "%,.0f", rate),
                store.counts(id).available(),
                "none".equals(l.eve()) ? "-" : l.eve());
    }

    static String percent(double q) {
        return Double.isNaN(q) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * q);
    }
}
