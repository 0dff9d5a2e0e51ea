package io.hotaru.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class HotaruCliTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HotaruCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpListsEveryCommandWithADescription() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Commands:").containsPattern("demo\\s+Run a simulated QKD network");
    }

    @Test
    void commandHelpDocumentsEachOption() {
        assertThat(run("demo", "--help")).isZero();
        assertThat(out.toString())
                .contains("--duration=TIME")
                .contains("--work-dir=DIR")
                .contains("--port=PORT")
                .contains("--seed=N");
    }

    @Test
    void unknownCommandIsAUsageError() {
        assertThat(run("frobnicate")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).startsWith("hotaru: Unmatched argument at index 0: 'frobnicate'");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void unknownOptionIsAUsageErrorOnOneLine() {
        assertThat(run("demo", "--no-such-option")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines())
                .containsExactly("hotaru: Unknown option: '--no-such-option'; see './hotaru demo --help'");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void malformedDurationIsAUsageErrorNamingTheOption() {
        assertThat(run("demo", "--duration", "twenty")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines())
                .singleElement()
                .asString()
                .contains("--duration")
                .contains("'twenty' is not a duration");
    }

    @Test
    void closeMatchesAreSuggestedOnTheSameLine() {
        assertThat(run("demo", "--duraton", "5s")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString().lines()).singleElement().asString().contains("did you mean --duration");
    }

    @Test
    void noCommandIsAUsageError() {
        assertThat(run()).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("a command is required");
    }
}
