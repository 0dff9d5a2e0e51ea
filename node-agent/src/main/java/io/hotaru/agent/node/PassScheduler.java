package io.hotaru.agent.node;

import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.config.NodeConfig;
import io.hotaru.agent.pass.OrbitPasses;
import io.hotaru.agent.pass.PassClock;
import io.hotaru.agent.pass.PassWindow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a satellite link pass by pass: for each predicted pass, a new link end starts and
 * self-tests {@code selftest_lead} before AOS, brings the peer channel and key generation up at AOS
 * and stops at LOS; the key made in the pass is audited ({@code link.pass}) and reported to the
 * operator. Times are orbit times mapped to the wall clock by the link's {@link PassClock}.
 */
final class PassScheduler implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PassScheduler.class);

    private final NodeConfig.Link link;
    private final PassClock clock;
    private final Function<Instant, LinkRunner> start;
    private final AuditLog audit;
    private final Consumer<Map<String, Object>> report;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile LinkRunner current;

    /**
     * @param start starts a link end held until the given wall instant (AOS)
     * @param report told of each finished pass (MQTT event)
     */
    PassScheduler(
            NodeConfig.Link link,
            Function<Instant, LinkRunner> start,
            AuditLog audit,
            Consumer<Map<String, Object>> report) {
        NodeConfig.Passes p = link.passes().orElseThrow();
        Instant now = Instant.now();
        this.link = link;
        Instant wallStart = p.wallStart().orElse(now);
        this.clock = new PassClock(p.start().orElse(wallStart), wallStart, p.timeScale());
        this.start = start;
        this.audit = audit;
        this.report = report;
        this.thread = new Thread(this::run, "link-" + link.id() + "-passes");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void run() {
        NodeConfig.Passes p = link.passes().orElseThrow();
        try {
            Instant from = clock.orbitAt(Instant.now());
            List<PassWindow> passes = OrbitPasses.predict(p.tle(), p.station(), p.minElevationDeg(), from, p.horizon());
            audit.append(
                    "link.passes.predicted",
                    link.id(),
                    Map.of(
                            "passes",
                            passes.size(),
                            "from",
                            from.toString(),
                            "horizon",
                            p.horizon().toString()));
            for (PassWindow pass : passes) {
                if (stopping) {
                    return;
                }
                runPass(pass, p.selfTestLead());
            }
            log.info("link {}: no more passes within the horizon", link.id());
        } catch (RuntimeException e) {
            if (!stopping) {
                log.error("link {}: pass schedule failed: {}", link.id(), e.toString());
                audit.append(
                        "link.error",
                        link.id(),
                        Map.of("stage", "passes", "error", e.getClass().getSimpleName()));
            }
        }
    }

    private void runPass(PassWindow pass, Duration lead) {
        Instant wallAos = clock.wallAt(pass.aos());
        Instant wallLos = clock.wallAt(pass.los());
        if (!Instant.now().isBefore(wallLos)) {
            return; // already over
        }
        sleepUntil(clock.wallAt(pass.aos().minus(lead)));
        if (stopping) {
            return;
        }
        log.info(
                "link {}: pass AOS {} LOS {} (max elevation {} deg)",
                link.id(),
                pass.aos(),
                pass.los(),
                Math.round(pass.maxElevationDeg()));
        LinkRunner runner = start.apply(wallAos);
        current = runner;
        sleepUntil(wallLos);
        runner.close();
        current = null;
        long[] counts = runner.keyCounts();
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("aos", pass.aos().toString());
        detail.put("los", pass.los().toString());
        detail.put("max_elevation_deg", Math.round(pass.maxElevationDeg() * 10) / 10.0);
        var stats = runner.linkStats();
        detail.put("blocks", stats == null ? 0 : stats.blocks());
        detail.put("distilled_blocks", counts[0]);
        detail.put("stored_units", counts[1]);
        audit.append("link.pass", link.id(), detail);
        Map<String, Object> event = new LinkedHashMap<>(detail);
        event.put("link", link.id());
        report.accept(event);
    }

    private void sleepUntil(Instant wall) {
        while (!stopping && Instant.now().isBefore(wall)) {
            try {
                Thread.sleep(Math.min(
                        200, Math.max(1, Duration.between(Instant.now(), wall).toMillis())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        stopping = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
