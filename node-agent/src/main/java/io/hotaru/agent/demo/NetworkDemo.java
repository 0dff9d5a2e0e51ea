package io.hotaru.agent.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.dashboard.DashboardException;
import io.hotaru.agent.dashboard.DashboardFeed;
import io.hotaru.agent.dashboard.DashboardServer;
import io.hotaru.agent.dashboard.DashboardState;
import io.hotaru.agent.dashboard.RunClock;
import io.hotaru.agent.monitor.AlarmBoard;
import io.hotaru.agent.mqtt.EmbeddedBroker;
import io.hotaru.keys.store.KeyManagerException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of {@code ./hotaru demo}: the topology's network ({@link TopologyNetwork}), an embedded
 * MQTT broker with every node publishing on it ({@link NetworkTelemetry}), the dashboard fed from
 * the broker, the terminal view, the planned attacks, and at the end the summary ({@link
 * DemoSummary}) with the curl lines.
 */
final class NetworkDemo {

    /**
     * What a run ended with, for the caller and the tests.
     *
     * @param storedBeforeAttack per attacked link, its key bits stored when the attack began
     * @param dashboard the dashboard's state at the end, as served on {@code /api/state}
     */
    record Result(
            Map<String, DemoSummary.LinkResult> links,
            Set<String> alarmedLinks,
            Map<String, Long> storedBeforeAttack,
            JsonNode dashboard) {

        /** True when every link's two ends hold the same keys. */
        boolean allIdentical() {
            return links.values().stream().allMatch(DemoSummary.LinkResult::identical);
        }
    }

    private final DemoSettings settings;
    private final PrintWriter out;
    private final List<String> alarms = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> alarmedLinks = Collections.synchronizedSet(new TreeSet<>());
    private final Map<String, Long> storedBeforeAttack = new ConcurrentHashMap<>();
    private final AtomicReference<NetworkTelemetry> telemetry = new AtomicReference<>();
    /** Alarm changes seen before the telemetry started (node, link, change). */
    private final List<Object[]> unpublished = new ArrayList<>();

    private long startNanos;
    private long startMillis;

    NetworkDemo(DemoSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    Result run() {
        var topology = settings.topology();
        out.printf(
                Locale.ROOT,
                "Hotaru demo: network %s, %d nodes, %d fibre links, %d satellite links; seed %d; running for %s%n",
                topology.name(),
                topology.nodes().size(),
                topology.fibreLinks().size(),
                topology.satelliteLinks().size(),
                settings.seed(),
                human(settings.duration()));
        out.println("work directory: " + settings.workDir());
        out.println("starting the dashboard, the MQTT broker, the nodes (PKI, key stores, ETSI 014 servers, relays)"
                + " and the links...");
        out.flush();
        RunClock clock = new RunClock(topology.start(), Instant.now(), settings.passTimeScale());
        DashboardState state = new DashboardState(topology, clock, Duration.ofMinutes(10));
        try (DashboardServer dashboard = startDashboard(state);
                EmbeddedBroker broker = EmbeddedBroker.start(settings.workDir().resolve("broker"), 0);
                TopologyNetwork network = startNetwork(clock);
                DashboardFeed feed = DashboardFeed.start(broker.uri(), state);
                NetworkTelemetry published = NetworkTelemetry.start(network, broker.uri(), Duration.ofSeconds(1))) {
            startPublishing(published);
            network.allLinks().stream()
                    .filter(l -> !"none".equals(l.eve()))
                    .forEach(l -> storedBeforeAttack.put(l.id(), 0L));
            printEndpoints(network, dashboard, broker);
            runFor(network);
            network.stopLinks();
            telemetry.set(null);
            Map<String, DemoSummary.LinkResult> results = new DemoSummary(out).print(network, alarmedLinks);
            return new Result(results, Set.copyOf(alarmedLinks), Map.copyOf(storedBeforeAttack), state.snapshot());
        }
    }

    private DashboardServer startDashboard(DashboardState state) {
        try {
            return DashboardServer.start(state, settings.dashboardPort(), "--port");
        } catch (DashboardException e) {
            throw CliFailure.runtime(e.getMessage());
        }
    }

    private TopologyNetwork startNetwork(RunClock clock) {
        Map<String, String> fromStart = new LinkedHashMap<>();
        for (AttackPlan a : settings.attacks()) {
            if (a.at().isZero()) {
                fromStart.put(a.link(), a.eve());
            }
        }
        startNanos = System.nanoTime();
        startMillis = System.currentTimeMillis();
        try {
            return TopologyNetwork.start(
                    settings.topology(),
                    new TopologyNetwork.Options(
                            settings.workDir(),
                            settings.etsiBasePort(),
                            settings.seed(),
                            settings.blockDetections(),
                            settings.linkTimeScale(),
                            fromStart,
                            clock,
                            settings.duration()),
                    this::onAlarm);
        } catch (KeyManagerException e) {
            if (e.code() == KeyManagerException.Code.BIND_FAILED) {
                throw CliFailure.runtime(e.getMessage()
                        + "; choose other ETSI GS QKD 014 ports with --etsi-port (node n uses PORT + its"
                        + " etsi_port_offset)");
            }
            throw CliFailure.runtime(e.getMessage());
        }
    }

    private void onAlarm(String node, String link, AlarmBoard.AlarmChange change) {
        double t = (System.nanoTime() - startNanos) / 1e9;
        alarms.add(String.format(
                Locale.ROOT,
                "%s %.1fs link %s at %s: %s %s (%s)",
                change.active() ? "ALARM" : "clear",
                t,
                link,
                node,
                change.kind(),
                change.active() ? "RAISED" : "cleared",
                change.detail()));
        if (change.active()) {
            alarmedLinks.add(link);
        }
        synchronized (unpublished) {
            NetworkTelemetry published = telemetry.get();
            if (published != null) {
                published.alarm(node, link, change);
            } else {
                unpublished.add(new Object[] {node, link, change});
            }
        }
    }

    /** Publishes the alarm changes seen before the telemetry started, then every later one at once. */
    private void startPublishing(NetworkTelemetry published) {
        synchronized (unpublished) {
            for (Object[] a : unpublished) {
                published.alarm((String) a[0], (String) a[1], (AlarmBoard.AlarmChange) a[2]);
            }
            unpublished.clear();
            telemetry.set(published);
        }
    }

    private void printEndpoints(TopologyNetwork network, DashboardServer dashboard, EmbeddedBroker broker) {
        out.println("dashboard: " + dashboard.uri() + "  (MQTT broker " + broker.uri() + ")");
        network.nodes()
                .values()
                .forEach(n -> out.printf(
                        Locale.ROOT,
                        "node %-10s KME %s, ETSI GS QKD 014 at https://localhost:%d/api/v1/keys/ (application %s)%n",
                        n.node().id(),
                        n.kme(),
                        n.server().port(),
                        n.sae()));
        for (AttackPlan a : settings.attacks()) {
            out.printf(Locale.ROOT, "attack: %s on link %s at %s%n", a.eve(), a.link(), human(a.at()));
        }
        out.flush();
    }

    private void runFor(TopologyNetwork network) {
        LiveView view = new LiveView(out, settings.redrawInPlace(), startMillis);
        List<AttackPlan> pending = new ArrayList<>(settings.attacks());
        pending.removeIf(a -> a.at().isZero());
        long end = startNanos + settings.duration().toNanos();
        long interval = settings.progressInterval().toNanos();
        long next = System.nanoTime() + interval;
        boolean curlShown = false;
        while (System.nanoTime() < end) {
            sleepNanos(Math.min(Math.min(next, end), nextAttack(pending)) - System.nanoTime());
            long now = System.nanoTime();
            for (AttackPlan a : List.copyOf(pending)) {
                if (now - startNanos >= a.at().toNanos()) {
                    pending.remove(a);
                    network.anyLink(a.link()).ifPresent(l -> {
                        l.attack(a.eve());
                        storedBeforeAttack.put(a.link(), l.storedKeyBits());
                    });
                    alarms.add(String.format(
                            Locale.ROOT,
                            "EVENT %.1fs attack %s put on link %s",
                            (now - startNanos) / 1e9,
                            a.eve(),
                            a.link()));
                }
            }
            if (now >= next || (now >= end && next - now < interval / 2)) {
                view.draw(network, (now - startNanos) / 1e9, List.copyOf(alarms));
                next += interval;
                if (!curlShown) {
                    curlShown = printFirstCurl(network, view);
                }
            }
        }
    }

    /** Once every fibre link without an attack holds keys at both ends, prints the curl lines. */
    private boolean printFirstCurl(TopologyNetwork network, LiveView view) {
        boolean ready = network.links().stream()
                .filter(l -> "none".equals(l.eve()))
                .allMatch(l -> l.transmitterStore().availableCount(l.id()) > 0
                        && l.receiverStore().availableCount(l.id()) > 0);
        if (!ready || network.links().isEmpty()) {
            return false;
        }
        out.print("keys stored on every fibre link; ");
        DemoSummary.printCurl(out, network);
        out.flush();
        view.startBelow();
        return true;
    }

    private long nextAttack(List<AttackPlan> pending) {
        return pending.stream()
                .mapToLong(a -> startNanos + a.at().toNanos())
                .min()
                .orElse(Long.MAX_VALUE);
    }

    static String human(Duration d) {
        long millis = d.toMillis();
        return millis % 1000 == 0 ? (millis / 1000) + " s" : (millis / 1000.0) + " s";
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.runtime("interrupted");
        }
    }
}
