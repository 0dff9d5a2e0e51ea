package io.hotaru.agent.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.agent.cli.HotaruCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** {@code ./hotaru bench amplify}: one JSON object with the median of the timed calls and the first call. */
class BenchAmplifyCommandTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HotaruCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void reportsTheMedianOfTheTimedCallsAndTheFirstCall() throws Exception {
        int code = run("bench", "amplify", "--bits", "100000", "--ratio", "0.25", "--runs", "3", "--json");

        assertThat(code).as(err.toString()).isEqualTo(ExitCodes.OK);
        JsonNode o = new ObjectMapper().readTree(out.toString());
        assertThat(o.get("bits").asInt()).isEqualTo(100_000);
        assertThat(o.get("ratio").asDouble()).isEqualTo(0.25);
        assertThat(o.get("output_bits").asInt()).isEqualTo(25_000);
        assertThat(o.get("runs").asInt()).isEqualTo(3);
        double median = o.get("mbit_per_s").asDouble();
        assertThat(median)
                .isPositive()
                .isBetween(
                        o.get("mbit_per_s_min").asDouble(),
                        o.get("mbit_per_s_max").asDouble());
        assertThat(o.get("first_call_mbit_per_s").asDouble()).isPositive();
        assertThat(o.get("peak_heap_mib").asLong()).isPositive();
    }

    @Test
    void refusesARunCountOutOfRangeNamingTheOption() {
        int code = run("bench", "amplify", "--bits", "100000", "--runs", "0", "--json");

        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--runs must be in [1, 1000], got 0");
        assertThat(out.toString()).isEmpty();
    }
}
