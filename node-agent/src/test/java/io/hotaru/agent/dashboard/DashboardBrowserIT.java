package io.hotaru.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotaru.agent.audit.AuditLog;
import io.hotaru.agent.mqtt.EmbeddedBroker;
import io.hotaru.agent.topology.PassTimeScale;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Loads the dashboard in headless Chromium (Debian's chromium and chromedriver) while a synthetic
 * Tokyo-shaped network publishes status, telemetry and an alarm over a real embedded broker, and
 * checks what an operator would look at: every node and link on the map, plotted points increasing,
 * the alarm appearing, the audit tail and the satellite pass's key. Saves a screenshot to
 * target/dashboard.png (the README's picture comes from {@code DemoDashboardBrowserIT}).
 *
 * <p>Skips with the reason when the browser or driver is missing, except under CI=true, where it
 * fails: .ci/run installs both.
 */
class DashboardBrowserIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void anOperatorSeesTheNetworkLiveInABrowser(@TempDir Path dir) throws Exception {
        Path chromium = BrowserBinaries.require(System.getenv(), "chromium", "chromium-browser");
        Path chromedriver = BrowserBinaries.require(System.getenv(), "chromedriver");

        Topology tokyo = TopologyLoader.loadDefault();
        long scale = PassTimeScale.firstPass(tokyo, Duration.ofMinutes(1))
                .orElseThrow()
                .timeScale();
        DashboardState state =
                new DashboardState(tokyo, new RunClock(tokyo.start(), Instant.now(), scale), Duration.ofMinutes(2));
        Path auditFile = dir.resolve("koganei-audit.jsonl");
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor();
        try (EmbeddedBroker broker = EmbeddedBroker.start(dir.resolve("broker"), 0);
                DashboardServer server = DashboardServer.start(state, 0, "--port");
                DashboardFeed feed = DashboardFeed.start(broker.uri(), state);
                AuditLog audit = AuditLog.open(auditFile, Clock.systemUTC());
                SyntheticNetwork network = new SyntheticNetwork(tokyo, broker.uri(), passWindows(state))) {
            assertThat(feed.awaitConnected(Duration.ofSeconds(20))).isTrue();
            AuditTail tail = new AuditTail(Map.of("koganei", auditFile));
            poller.scheduleWithFixedDelay(() -> tail.poll(state), 0, 300, TimeUnit.MILLISECONDS);
            audit.append("link.state", "kog-ote", Map.of("from", "ALIGNED", "to", "KEYGEN"));
            network.start(250);

            WebDriver browser = HeadlessChromium.start(chromium, chromedriver);
            try {
                browser.get(server.uri().toString());
                // the page redraws by replacing elements: an element found a moment ago may be gone
                WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(100));
                wait.ignoring(StaleElementReferenceException.class);

                wait.until(
                        b -> b.findElements(By.cssSelector("#map [data-node]")).size()
                                == tokyo.nodes().size());
                for (var n : tokyo.nodes()) {
                    assertThat(browser.findElements(By.cssSelector("#map [data-node='" + n.id() + "']")))
                            .hasSize(1);
                }
                for (var l : tokyo.links()) {
                    assertThat(browser.findElements(By.cssSelector("#map line[data-link='" + l.id() + "']")))
                            .hasSize(1);
                }
                wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));
                wait.until(b -> points(b, "qber-chart") > 0);
                int qber = wait.until(b -> points(b, "qber-chart"));
                int rate = wait.until(b -> points(b, "rate-chart"));
                wait.until(b -> points(b, "qber-chart") > qber && points(b, "rate-chart") > rate);
                wait.until(b -> b.findElement(By.cssSelector("#map line[data-link='kog-ote']"))
                        .getAttribute("data-state")
                        .equals("keygen"));
                // the receiver's headroom, from the other end's reports than the plotted one
                String idle = wait.until(b -> {
                    String text = b.findElement(By.cssSelector("#links td[data-receiver-idle='kog-ote']"))
                            .getText();
                    return text.matches("\\d+ %") ? text : null;
                });
                assertThat(Integer.parseInt(idle.replace(" %", ""))).isBetween(25, 35);

                network.raiseAlarm("koganei", "qber", "kog-ote", "QBER 0.26 above the 0.11 threshold");
                audit.append("alarm.raised", "kog-ote", Map.of("kind", "qber"));
                wait.until(b -> !b.findElements(By.cssSelector("#alarms li[data-alarm='koganei/qber']"))
                        .isEmpty());
                String alarm = wait.until(b -> b.findElement(By.cssSelector("#alarms li[data-alarm='koganei/qber']"))
                        .getText());
                assertThat(alarm)
                        .containsIgnoringCase("critical")
                        .contains("qber at koganei", "kog-ote", "above the 0.11 threshold");
                wait.until(b -> b.findElement(By.cssSelector("#map line[data-link='kog-ote']"))
                        .getAttribute("data-state")
                        .equals("alarm"));
                wait.until(b -> b.findElement(By.id("audit")).getText().contains("alarm.raised kog-ote"));

                // the first pass begins about 17 s into the run at this time scale
                int elevation = wait.until(b -> points(b, "elevation-chart"));
                assertThat(elevation).isGreaterThan(0);
                wait.until(b -> !b.findElement(By.cssSelector("[data-pass-key='sat-gsk']"))
                        .getText()
                        .equals("0bit"));
                HeadlessChromium.screenshot(browser, "dashboard.png", false);
            } finally {
                browser.quit();
            }
        } finally {
            poller.shutdownNow();
        }
    }

    /** The wall-clock windows of each satellite link's passes, as the state predicted them. */
    private static Map<String, LongPredicate> passWindows(DashboardState state) {
        Map<String, LongPredicate> out = new HashMap<>();
        state.snapshot().path("satellite").properties().forEach(e -> {
            JsonNode passes = e.getValue().path("passes");
            out.put(e.getKey(), t -> {
                for (JsonNode p : passes) {
                    if (t >= p.path("aos").asLong() && t <= p.path("los").asLong()) {
                        return true;
                    }
                }
                return false;
            });
        });
        return out;
    }

    private static int points(WebDriver b, String chart) {
        return HeadlessChromium.points(b, chart);
    }
}
