package io.hotaru.agent.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.agent.topology.FibreLink;
import org.junit.jupiter.api.Test;

class FibreLinkDevicesTest {

    @Test
    void aLossierFibreThanTheParameterSetsIsExtraLoss() {
        // metro: 0.21 dB/km; the Koganei-Otemachi span is 45 km at 0.3 dB/km: 13.5 dB = 9.45 + 4.05
        FibreLinkDevices d =
                FibreLinkDevices.of(new FibreLink("kog-ote", "koganei", "otemachi", 45, 0.3, "metro"), 7, 4);
        assertThat(d.query())
                .isEqualTo("link=kog-ote&seed=7&params=metro&distance_km=45.0&extra_loss_db=4.05&time_scale=4.0");
        assertThat(d.source()).isEqualTo("sim:alice?" + d.query());
        assertThat(d.tagger()).isEqualTo("sim:bob?" + d.query());
    }

    @Test
    void aBetterFibreThanTheParameterSetsIsAShorterEquivalentLength() {
        // 10 km at 0.168 dB/km = 1.68 dB = 8 km of the set's 0.21 dB/km
        FibreLinkDevices d = FibreLinkDevices.of(new FibreLink("ab", "a", "b", 10, 0.168, "metro"), 1, 1);
        assertThat(d.query()).contains("distance_km=8.0", "extra_loss_db=0.0");
    }
}
