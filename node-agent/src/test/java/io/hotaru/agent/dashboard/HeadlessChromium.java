package io.hotaru.agent.dashboard;

import java.nio.file.Files;
import java.nio.file.Path;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Headless Chromium through chromedriver for the dashboard's browser tests, and what they read. */
public final class HeadlessChromium {

    private HeadlessChromium() {}

    /** Starts a headless browser (the binaries from {@link BrowserBinaries#require}). */
    public static WebDriver start(Path chromium, Path chromedriver) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage");
        options.addArguments("--window-size=1400,1700", "--hide-scrollbars");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        return new ChromeDriver(service, options);
    }

    /** The points a chart of the page plots now. */
    public static int points(WebDriver b, String chart) {
        return Integer.parseInt(b.findElement(By.id(chart)).getAttribute("data-points"));
    }

    /**
     * Saves a screenshot to the module's {@code target/NAME}; with {@code forReadme} also to {@code
     * docs/dashboard.png} when run with {@code -Dhotaru.screenshot.docs=true} (the README's picture,
     * refreshed on request only so that a plain build leaves the tree clean).
     */
    public static void screenshot(WebDriver browser, String name, boolean forReadme) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Path module = Path.of("").toAbsolutePath();
        Files.createDirectories(module.resolve("target"));
        Files.write(module.resolve("target").resolve(name), png);
        Path docs = module.resolveSibling("docs");
        if (forReadme && Boolean.getBoolean("hotaru.screenshot.docs") && Files.isDirectory(docs)) {
            Files.write(docs.resolve("dashboard.png"), png);
        }
    }
}
