package io.hotaru.agent.sim;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hotaru.agent.cli.ExitCodes;
import io.hotaru.agent.cli.HotaruCli;
import io.hotaru.agent.config.NodeConfigLoader;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * {@code ./hotaru simulate --distill}: the simulated detections through the real distillation
 * pipeline. One block of 2^19 detections of the metro set at 25 km (2·10^8 pulses, about 5.5·10^5
 * detections) leaves key; intercept-resend on every pulse leaves none and the block is counted as
 * aborted.
 */
class SimulateDistillTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return HotaruCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    private JsonNode simulateSet(String params, String km, String pulses) throws Exception {
        assertThat(run(
                        "simulate",
                        "--params",
                        params,
                        "--distance",
                        km,
                        "--pulses",
                        pulses,
                        "--seed",
                        "3",
                        "--distill",
                        "--json"))
                .as(err.toString())
                .isZero();
        return new ObjectMapper().readTree(out.toString());
    }

    private JsonNode simulate(String... extra) throws Exception {
        String[] base = {
            "simulate", "--params", "metro", "--distance", "25", "--pulses", "2e8", "--seed", "3", "--distill", "--json"
        };
        String[] args = new String[base.length + extra.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        assertThat(run(args)).as(err.toString()).isZero();
        return new ObjectMapper().readTree(out.toString());
    }

    @Test
    void anHonestMetroLinkAt25KmLeavesSecretKey() throws Exception {
        JsonNode r = simulate();
        assertThat(r.get("blocks").asLong()).isEqualTo(1);
        assertThat(r.get("aborted_blocks").asLong()).isZero();
        long secret = r.get("secret_bits").asLong();
        assertThat(secret).isPositive();
        // The output key is never longer than the finite-key bound.
        assertThat(secret).isLessThanOrEqualTo(r.get("finite_key_bound_bits").asLong());
        assertThat(r.get("efficiency").asDouble()).isBetween(1.0, 1.5);
        assertThat(r.get("auth_bits_consumed").asLong()).isPositive();
        assertThat(r.get("block_bits").asInt()).isEqualTo(524_288);
    }

    /**
     * The gys set at 50 km in blocks of the daemon's default size (2^20 detections): every block
     * leaves key (this seed's two blocks about 46,000 bits each; blocks of 2^18 left a few thousand).
     */
    @Test
    void gysAtFiftyKmLeavesKeyInEveryBlockOfTheDaemonsSize() throws Exception {
        assertThat(run(
                        "simulate",
                        "--params",
                        "gys",
                        "--distance",
                        "50",
                        "--pulses",
                        "4e9",
                        "--seed",
                        "3",
                        "--distill",
                        "--block-bits",
                        String.valueOf(NodeConfigLoader.DEFAULT_BLOCK_DETECTIONS),
                        "--json"))
                .as(err.toString())
                .isZero();
        JsonNode r = new ObjectMapper().readTree(out.toString());
        assertThat(r.get("blocks").asLong()).isEqualTo(2);
        assertThat(r.get("aborted_blocks").asLong()).isZero();
        assertThat(r.get("secret_bits").asLong())
                .isPositive()
                .isLessThanOrEqualTo(r.get("finite_key_bound_bits").asLong());
    }

    /** fibre-1ghz chooses Z with 0.8 and keys from it: most sifted bits become key input. */
    @Test
    void fibreAtOneGigahertzKeysFromItsLikelyBasis() throws Exception {
        JsonNode r = simulateSet("fibre-1ghz", "50", "1e8");
        assertThat(r.get("aborted_blocks").asLong()).isZero();
        assertThat(r.get("blocks").asLong()).isEqualTo(2);
        assertThat(r.get("secret_bits").asLong()).isGreaterThan(100_000);
    }

    @Test
    void interceptResendOnEveryPulseLeavesNoKeyAndAbortsTheBlock() throws Exception {
        JsonNode r = simulate("--eve", "intercept-resend:1.0");
        assertThat(r.get("qber").get("signal").asDouble()).isBetween(0.24, 0.26);
        assertThat(r.get("blocks").asLong()).isEqualTo(1);
        assertThat(r.get("aborted_blocks").asLong()).isEqualTo(1);
        assertThat(r.get("secret_bits").asLong()).isZero();
        assertThat(r.get("efficiency").isNull()).isTrue();
        assertThat(r.get("abort_reasons").get("qber_too_high").asLong()).isEqualTo(1);
    }

    @Test
    void badBlockSizesAreUsageErrorsNamingTheOption() {
        assertThat(run("simulate", "--params", "metro", "--distill", "--block-bits", "10"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--block-bits must be in [1000, 1048576], got 10");
        assertThat(run("simulate", "--params", "metro", "--distill", "--block-bits", "many"))
                .isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--block-bits").contains("'many'");
        assertThat(run("simulate", "--params", "metro", "--block-bits", "4096")).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("--block-bits needs --distill");
        assertThat(err.toString()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(out.toString()).isEmpty();
    }
}
