package io.hotaru.agent.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class BrowserBinariesTest {

    @Test
    void findsTheFirstNameOnThePath(@TempDir Path dir) throws Exception {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        Path browser = Files.createFile(
                bin.resolve("chromium-browser"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.createFile(bin.resolve("chromium")); // not executable
        Map<String, String> env = Map.of("PATH", dir.resolve("empty") + ":" + bin);
        assertThat(BrowserBinaries.require(env, "chromium", "chromium-browser")).isEqualTo(browser);
    }

    @Test
    void skipsWithTheReasonOutsideCi() {
        assertThatThrownBy(() -> BrowserBinaries.require(Map.of("PATH", ""), "chromedriver"))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining(
                        "chromedriver is not installed (Debian: apt-get install chromium chromium-driver;")
                .hasMessageContaining("skipping the browser test");
    }

    @Test
    void failsUnderCi() {
        assertThatThrownBy(() -> BrowserBinaries.require(Map.of("PATH", "", "CI", "true"), "chromedriver"))
                .isInstanceOf(AssertionFailedError.class)
                .hasMessageContaining("CI=true requires the browser test to run");
    }
}
