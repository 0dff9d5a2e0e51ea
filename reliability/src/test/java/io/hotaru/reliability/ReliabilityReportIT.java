package io.hotaru.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The last step of a reliability run: sums what every campaign of the build recorded, prints the
 * table, writes {@code target/reliability-figures.json} at the root of the build, and fails when an
 * invariant was violated or (full profile) a figure is below the floor the issue sets.
 */
@Tag("reliability")
class ReliabilityReportIT {

    @Test
    void figuresOfThisRun() throws IOException {
        String dir = System.getProperty("hotaru.figures.dir", "");
        assertThat(dir)
                .as("hotaru.figures.dir (set by -Preliability / -Preliability-ci)")
                .isNotBlank();
        Path runDir = Path.of(dir);
        Figures figures = Figures.read(runDir.resolve("figures.tsv"));
        Instant started = Instant.parse(runDir.getFileName().toString());
        long seconds = Duration.between(started, Instant.now()).toSeconds();
        String profile = System.getProperty("hotaru.reliability.profile", "ci");

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("profile", profile);
        json.put("run", runDir.getFileName().toString());
        for (String name : Figures.reported()) {
            json.put(name, figures.total(name));
        }
        json.put("duration_seconds", seconds);
        json.put("by_source", figures.bySource());
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        byte[] out = mapper.writeValueAsBytes(json);
        Path target = runDir.getParent().getParent();
        Files.write(target.resolve("reliability-figures.json"), out);
        Files.write(runDir.resolve("reliability-figures.json"), out);

        System.out.println(figures.table(profile, seconds));
        System.out.println("reliability figures: " + target.resolve("reliability-figures.json"));

        List<String> violations = figures.violations(Floors.of(profile));
        assertThat(violations)
                .as("reliability run %s (%s profile)", runDir, profile)
                .isEmpty();
    }
}
