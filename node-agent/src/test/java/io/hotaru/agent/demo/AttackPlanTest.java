package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.agent.topology.Topology;
import io.hotaru.agent.topology.TopologyLoader;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AttackPlanTest {

    private final Topology tokyo = TopologyLoader.loadDefault();

    @Test
    void anAttackWithoutATimeStartsAtOnce() {
        assertThat(AttackPlan.parse("intercept-resend@kog-ote", tokyo))
                .isEqualTo(new AttackPlan("intercept-resend:1.0", "kog-ote", Duration.ZERO));
    }

    @Test
    void aFractionAndATimeAreKept() {
        assertThat(AttackPlan.parse("intercept-resend:0.5@hak-hon,at=20s", tokyo))
                .isEqualTo(new AttackPlan("intercept-resend:0.5", "hak-hon", Duration.ofSeconds(20)));
        assertThat(AttackPlan.parse("pns@ote-hon,at=1m", tokyo))
                .isEqualTo(new AttackPlan("pns", "ote-hon", Duration.ofMinutes(1)));
    }

    @Test
    void badFormsAreRefusedWithTheExpectedForm() {
        assertThatThrownBy(() -> AttackPlan.parse("intercept-resend", tokyo)).hasMessageContaining("KIND@LINK");
        assertThatThrownBy(() -> AttackPlan.parse("intercept-resend:2@kog-ote", tokyo))
                .hasMessageContaining("'intercept-resend:2@kog-ote'")
                .hasMessageContaining("KIND@LINK");
        assertThatThrownBy(() -> AttackPlan.parse("none@kog-ote", tokyo)).hasMessageContaining("no attack");
        assertThatThrownBy(() -> AttackPlan.parse("laser@kog-ote", tokyo)).hasMessageContaining("unknown attack");
        assertThatThrownBy(() -> AttackPlan.parse("intercept-resend@kog-ote,when=3s", tokyo))
                .hasMessageContaining("is not at=TIME");
        assertThatThrownBy(() -> AttackPlan.parse("intercept-resend@sat-x", tokyo))
                .hasMessageContaining("no link 'sat-x'")
                .hasMessageContaining("sat-gsk");
    }

    @Test
    void everyKindTheSimulatorModelsIsOfferedOnFibreAndSatelliteLinks() {
        assertThat(AttackPlan.parse("blinding@ote-hak", tokyo).eve()).isEqualTo("blinding");
        assertThat(AttackPlan.parse("trojan@kog-ote,at=5s", tokyo).eve()).startsWith("trojan:");
        assertThat(AttackPlan.parse("time-shift:300@hak-hon", tokyo).eve()).isEqualTo("time-shift:300.0");
        assertThat(AttackPlan.parse("pns@sat-gsk", tokyo)).isEqualTo(new AttackPlan("pns", "sat-gsk", Duration.ZERO));
    }
}
