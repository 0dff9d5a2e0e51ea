package io.hotaru.agent.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.agent.cli.HotaruCli;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void writeLog() {
        file = dir.resolve("audit.log");
        try (AuditLog log = AuditLog.open(file, Clock.fixed(Instant.parse("2026-11-25T00:00:00Z"), ZoneOffset.UTC))) {
            for (int i = 0; i < 10; i++) {
                log.append("link.transition", "A-B", Map.of("from", "READY", "to", "ALIGN", "n", i));
            }
        }
    }

    @Test
    void anUntouchedLogVerifiesAndReopensWhereItEnded() {
        AuditVerifier.Result r = AuditVerifier.verify(file);
        assertThat(r.intact()).isTrue();
        assertThat(r.records()).isEqualTo(10);
        try (AuditLog log = AuditLog.open(file, Clock.systemUTC())) {
            assertThat(log.records()).isEqualTo(10);
            assertThat(log.lastHash()).isEqualTo(r.lastHash());
            log.append("node.start", "node-a", Map.of());
        }
        assertThat(AuditVerifier.verify(file).records()).isEqualTo(11);
    }

    @Test
    void anEditedRecordIsFound() throws IOException {
        List<String> lines = lines();
        lines.set(4, lines.get(4).replace("\"n\":4", "\"n\":7"));
        write(lines);
        assertBrokenAt(5, "edited");
    }

    @Test
    void aRemovedRecordIsFound() throws IOException {
        List<String> lines = lines();
        lines.remove(3);
        write(lines);
        assertBrokenAt(4, "removed");
    }

    @Test
    void reorderedRecordsAreFound() throws IOException {
        List<String> lines = lines();
        Collections.swap(lines, 6, 7);
        write(lines);
        assertBrokenAt(7, "moved");
    }

    @Test
    void aTruncatedLineIsFound() throws IOException {
        List<String> lines = lines();
        lines.set(9, lines.get(9).substring(0, 40));
        write(lines);
        assertBrokenAt(10, "truncated");
    }

    @Test
    void aBrokenLogIsNotExtended() throws IOException {
        List<String> lines = lines();
        lines.remove(0);
        write(lines);
        assertThatThrownBy(() -> AuditLog.open(file, Clock.systemUTC()))
                .isInstanceOf(AuditException.class)
                .hasMessageContaining("refusing to extend");
    }

    @Test
    void theCommandReportsTheLineAndExitsNonZero() throws IOException {
        StringWriter out = new StringWriter();
        assertThat(run(out, "audit", "verify", file.toString())).isZero();
        assertThat(out.toString()).contains("intact: 10 record(s)");

        String head = AuditVerifier.verify(file).lastHash();
        List<String> lines = lines();
        lines.remove(9);
        write(lines);
        out = new StringWriter();
        assertThat(run(out, "audit", "verify", file.toString())).isZero();
        out = new StringWriter();
        assertThat(run(out, "audit", "verify", "--expect-head", head, file.toString()))
                .isEqualTo(1);
        assertThat(out.toString()).contains("records were cut from the end");

        lines.set(2, lines.get(2).replace("A-B", "A-C"));
        write(lines);
        out = new StringWriter();
        assertThat(run(out, "audit", "verify", file.toString())).isEqualTo(1);
        assertThat(out.toString()).contains("audit.log:3: hash does not match");
    }

    private int run(StringWriter out, String... args) {
        return HotaruCli.run(args, new PrintWriter(out, true), new PrintWriter(new StringWriter(), true));
    }

    private void assertBrokenAt(long line, String word) {
        AuditVerifier.Result r = AuditVerifier.verify(file);
        assertThat(r.intact()).isFalse();
        assertThat(r.problemLine()).isEqualTo(line);
        assertThat(r.problem()).contains(word);
    }

    private List<String> lines() throws IOException {
        return new ArrayList<>(Files.readAllLines(file, StandardCharsets.UTF_8));
    }

    private void write(List<String> lines) throws IOException {
        Files.write(file, lines, StandardCharsets.UTF_8);
    }
}
