package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.dashboard.BrowserBinaries;
import io.hotaru.agent.dashboard.HeadlessChromium;
import io.hotaru.agent.topology.PassTimeScale;
import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard of the real demo network in headless Chromium: the default Tokyo-shaped topology at
 * its default time scale for 60 s with {@code --attack intercept-resend@hak-hon,at=15s}. The page
 * shows every node and link (the satellite links included), plotted points increase, the satellite's
 * elevation over the pass is drawn and its pass brings key, and the attack's alarm appears; saves a
 * screenshot (target/demo-dashboard.png; the README's docs/dashboard.png with
 * -Dhotaru.screenshot.docs=true: {@code mvn verify -Pslow -pl node-agent -Dit.test=DemoDashboardBrowserIT
 * -Dhotaru.screenshot.docs=true}).
 *
 * <p>Tagged slow: it runs the whole network for a minute. Skips with the reason when the browser or
 * driver is missing, except under CI=true.
 */
@Tag("slow")
class DemoDashboardBrowserIT {

    private static final long SEED = 21;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @Test
    void anOperatorSeesTheDemoNetworkTheSatellitePassAndTheAttack(@TempDir Path dir) throws Exception {
        Path chromium = BrowserBinaries.require(System.getenv(), "chromium", "chromium-browser");
        Path chromedriver = BrowserBinaries.require(System.getenv(), "chromedriver");
        Topology tokyo = TopologyLoader.loadDefault();
        long scale = PassTimeScale.firstPass(tokyo, Duration.ofMinutes(1))
                .orElseThrow()
                .timeScale();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        DemoSettings settings = new DemoSettings(
                tokyo,
                dir,
                0,
                port,
                SEED,
                Duration.ofSeconds(60),
                Duration.ofSeconds(5),
                scale,
                1.0,
                DemoCommand.BLOCK_DETECTIONS,
                List.of(AttackPlan.parse("intercept-resend@hak-hon,at=15s", tokyo)),
                false);
        StringWriter text = new StringWriter();
        CompletableFuture<NetworkDemo.Result> run =
                CompletableFuture.supplyAsync(() -> new NetworkDemo(settings, new PrintWriter(text, true)).run());
        URI page = URI.create("http://127.0.0.1:" + port + "/");
        awaitPage(page, run);

        WebDriver browser = HeadlessChromium.start(chromium, chromedriver);
        try {
            browser.get(page.toString());
            WebDriverWait wait = new WebDriverWait(browser, WAIT, Duration.ofMillis(200));
            wait.ignoring(StaleElementReferenceException.class);
            wait.until(b -> b.findElements(By.cssSelector("#map [data-node]")).size()
                    == tokyo.nodes().size());
            for (var l : tokyo.links()) {
                assertThat(browser.findElements(By.cssSelector("#map line[data-link='" + l.id() + "']")))
                        .as("link %s on the map", l.id())
                        .hasSize(1);
            }
            wait.until(b -> b.findElement(By.id("connection")).getText().equals("live"));
            wait.until(b -> HeadlessChromium.points(b, "qber-chart") > 0);
            int qber = wait.until(b -> HeadlessChromium.points(b, "qber-chart"));
            int rate = wait.until(b -> HeadlessChromium.points(b, "rate-chart"));
            wait.until(b ->
                    HeadlessChromium.points(b, "qber-chart") > qber && HeadlessChromium.points(b, "rate-chart") > rate);
            assertThat(HeadlessChromium.points(browser, "elevation-chart")).isPositive();

            // the attack begins 15 s in; both ends of hak-hon see the QBER
            wait.until(b -> !b.findElements(By.cssSelector("#alarms li[data-alarm$='/qber']"))
                    .isEmpty());
            String alarm = wait.until(b -> b.findElement(By.cssSelector("#alarms li[data-alarm$='/qber']"))
                    .getText());
            assertThat(alarm).contains("hak-hon");
            wait.until(b -> b.findElement(By.cssSelector("#map line[data-link='hak-hon']"))
                    .getAttribute("data-state")
                    .equals("alarm"));
            // the satellite's first pass (about 16 s to 55 s) brings key
            wait.until(b -> !b.findElement(By.cssSelector("[data-pass-key='sat-gsk']"))
                    .getText()
                    .equals("0bit"));
            HeadlessChromium.screenshot(browser, "demo-dashboard.png", true);
        } finally {
            browser.quit();
        }
        NetworkDemo.Result result = run.get();
        assertThat(result.alarmedLinks()).as(text.toString()).containsExactly("hak-hon");
        assertThat(result.links().get("sat-gsk").storedKeyBits()).isPositive();
    }

    /** Waits until the demo's dashboard answers (the network starts first). */
    private static void awaitPage(URI page, CompletableFuture<?> run) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            if (run.isDone()) {
                run.get(); // a failed start shows here
            }
            try {
                if (client.send(HttpRequest.newBuilder(page).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode()
                        == 200) {
                    return;
                }
            } catch (java.io.IOException e) {
                // not up yet
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the dashboard at " + page + " did not answer within " + WAIT);
    }
}
