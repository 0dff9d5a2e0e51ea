package io.hotaru.agent.dashboard;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/** Finds the browser and its driver for the browser test, or says why the test cannot run. */
public final class BrowserBinaries {

    private BrowserBinaries() {}

    /**
     * The first of {@code names} found on {@code env}'s PATH. When none is: the test is skipped with
     * the reason, or fails under {@code CI=true}, where .ci/run must have installed it.
     */
    public static Path require(Map<String, String> env, String... names) {
        for (String name : names) {
            Optional<Path> found = Arrays.stream(env.getOrDefault("PATH", "").split(File.pathSeparator))
                    .filter(d -> !d.isEmpty())
                    .map(d -> Path.of(d, name))
                    .filter(Files::isExecutable)
                    .findFirst();
            if (found.isPresent()) {
                return found.get();
            }
        }
        String reason = String.join(" or ", names)
                + " is not installed (Debian: apt-get install chromium chromium-driver; .ci/run installs them)";
        if ("true".equals(env.get("CI"))) {
            fail(reason + ", and CI=true requires the browser test to run");
        }
        Assumptions.abort(reason + "; skipping the browser test");
        return null;
    }
}
