package io.hotaru.sim.orbit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.orekit.time.AbsoluteDate;

class UtcTimeTest {

    @Test
    void parsesAndPrintsIso8601() {
        UtcTime time = UtcTime.parse("2024-03-01T13:00:00.250+01:00");

        assertThat(time.toString()).isEqualTo("2024-03-01T12:00:00.250Z");
        assertThat(time).isEqualTo(UtcTime.of(2024, 3, 1, 12, 0, 0.25));
        assertThat(UtcTime.parse(time.toString())).isEqualTo(time);
        assertThat(new UtcTime(-1).toString()).isEqualTo("1969-12-31T23:59:59.999Z");
    }

    @Test
    void rejectsTextThatIsNotAnIsoDateTime() {
        assertThatThrownBy(() -> UtcTime.parse("2024-03-01 12:00"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'2024-03-01 12:00'");
    }

    @Test
    void arithmetic() {
        UtcTime start = UtcTime.parse("2024-03-01T00:00:00Z");

        assertThat(start.plus(Duration.ofHours(24))).isEqualTo(UtcTime.parse("2024-03-02T00:00:00Z"));
        assertThat(start.plusSeconds(1.5).epochMillis() - start.epochMillis()).isEqualTo(1500);
        assertThat(start.secondsUntil(start.plusSeconds(90))).isEqualTo(90.0);
        assertThat(start.isBefore(start.plusSeconds(0.001))).isTrue();
    }

    @Test
    void orekitDatesCountLeapSeconds() {
        AbsoluteDate before = OrekitContext.toDate(UtcTime.parse("2016-12-31T23:59:59Z"));
        AbsoluteDate after = OrekitContext.toDate(UtcTime.parse("2017-01-01T00:00:00Z"));

        assertThat(after.durationFrom(before)).isEqualTo(2.0);
        assertThat(OrekitContext.UTC.offsetFromTAI(after).toDouble()).isEqualTo(-37.0);
        assertThat(OrekitContext.toEpochSeconds(after)).isCloseTo(1_483_228_800.0, within(1e-9));
    }
}
