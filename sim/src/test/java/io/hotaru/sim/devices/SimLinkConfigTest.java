package io.hotaru.sim.devices;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.drivers.DeviceException;
import io.hotaru.sim.physics.CounterRandom;
import io.hotaru.sim.physics.LinkParameters;
import org.junit.jupiter.api.Test;

class SimLinkConfigTest {

    @Test
    void readsTheExampleUri() {
        SimLinkConfig c = SimLinkConfig.parse("sim:alice?link=ab&seed=42&params=demo&distance_km=25");
        assertThat(c.link()).isEqualTo("ab");
        assertThat(c.seed()).isEqualTo(42);
        assertThat(c.parameterSet()).isEqualTo("demo");
        assertThat(c.parameters()).isEqualTo(LinkParameters.demo().withLengthKm(25));
        assertThat(c.timeScale()).isEqualTo(1.0);
        assertThat(c.slotPeriodPs()).isEqualTo(10_000);
        assertThat(c.linkKey()).isEqualTo(CounterRandom.linkKey(42, "ab"));
        assertThat(c.sourceSettings().intensities()).containsExactly(0.5, 0.1, 0);
    }

    @Test
    void defaultsToTheDemoSetAndItsDistance() {
        SimLinkConfig c = SimLinkConfig.parse("sim:bob?link=ab&seed=-3");
        assertThat(c.parameters()).isEqualTo(LinkParameters.demo());
        assertThat(c.seed()).isEqualTo(-3);
    }

    @Test
    void appliesOverrides() {
        LinkParameters p = SimLinkConfig.linkParameters(
                "sim:bob?link=x&seed=1&params=gys&distance_km=80&extra_loss_db=2.5&rate_hz=2.5e9&time_scale=0.5");
        assertThat(p.lengthKm()).isEqualTo(80);
        assertThat(p.extraLossDb()).isEqualTo(2.5);
        assertThat(p.repetitionRateHz()).isEqualTo(2.5e9);
        assertThat(p.attenuationDbPerKm()).isEqualTo(0.21);
        assertThat(SimLinkConfig.parse("sim:bob?link=x&seed=1&time_scale=0.5").timeScale())
                .isEqualTo(0.5);
    }

    @Test
    void linkNameChangesTheKey() {
        assertThat(SimLinkConfig.parse("sim:bob?link=ab&seed=1").linkKey())
                .isNotEqualTo(SimLinkConfig.parse("sim:bob?link=ac&seed=1").linkKey());
    }

    @Test
    void rejectionsNameTheParameter() {
        assertBadUri("sim:bob?link=ab&seed=42&colour=red", "'colour'");
        assertBadUri("sim:bob?link=ab&seed=42&params=nope", "'params'", "nope", "demo, metro, gys");
        assertBadUri("sim:bob?link=ab&seed=42&distance_km=-1", "'distance_km'", "lengthKm");
        assertBadUri("sim:bob?link=ab&seed=42&distance_km=far", "'distance_km'");
        assertBadUri("sim:bob?link=ab&seed=42&extra_loss_db=-1", "'extra_loss_db'", "extraLossDb");
        assertBadUri("sim:bob?link=ab&seed=42&rate_hz=0", "'rate_hz'", "repetitionRateHz");
        assertBadUri("sim:bob?link=ab&seed=42&rate_hz=3e9", "'rate_hz'", "picoseconds");
        assertBadUri("sim:bob?link=ab&seed=42&time_scale=0", "'time_scale'");
        assertBadUri("sim:bob?link=ab&seed=4.2", "'seed'");
        assertBadUri("sim:bob?link=ab", "'seed'");
        assertBadUri("sim:bob?seed=42", "'link'");
        assertBadUri("qutag:0?link=ab&seed=42", "not a sim: URI");
    }

    private static void assertBadUri(String uri, String... fragments) {
        assertThatThrownBy(() -> SimLinkConfig.parse(uri))
                .isInstanceOfSatisfying(
                        DeviceException.class, e -> assertThat(e.code()).isEqualTo(DeviceException.Code.BAD_URI))
                .hasMessageContainingAll(fragments);
    }
}
