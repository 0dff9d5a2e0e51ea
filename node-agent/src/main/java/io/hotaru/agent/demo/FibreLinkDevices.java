package io.hotaru.agent.demo;

import io.hotaru.agent.topology.FibreLink;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.sim.params.ParameterSets;
import java.util.Locale;

/**
 * The {@code sim:} device URIs of a topology's fibre link. The sim binding takes a parameter set,
 * a length and an extra loss; a link whose attenuation differs from its parameter set's is given the
 * difference as extra loss ({@code length x (link dB/km - set dB/km)}), or, when the link's fibre is
 * better than the set's, a length scaled to the same total loss.
 *
 * @param query the shared query part: link, seed, params, distance_km, extra_loss_db, time_scale
 */
record FibreLinkDevices(String query) {

    static FibreLinkDevices of(FibreLink link, long seed, double timeScale) {
        return of(link, seed, timeScale, "none");
    }

    /** @param eve the sim's eavesdropper ({@code none}, {@code intercept-resend:1.0}, ...) */
    static FibreLinkDevices of(FibreLink link, long seed, double timeScale, String eve) {
        double setAttenuation = ParameterSets.load(link.parameterSet()).link().attenuationDbPerKm();
        double length = link.lengthKm();
        double extra = length * (link.lossDbPerKm() - setAttenuation);
        if (extra < 0) {
            length = link.lossDb() / setAttenuation;
            extra = 0;
        }
        return new FibreLinkDevices(String.format(
                        Locale.ROOT,
                        "link=%s&seed=%d&params=%s&distance_km=%s&extra_loss_db=%s&time_scale=%s",
                        link.id(),
                        seed,
                        link.parameterSet(),
                        Double.toString(length),
                        Double.toString(Math.round(extra * 1e6) / 1e6),
                        Double.toString(timeScale))
                + ("none".equals(eve) ? "" : "&eve=" + eve));
    }

    /** The source's settings, read from a source opened and closed at once. */
    SourceSettings sourceSettings(Drivers drivers) {
        try (PhotonSource source = drivers.open(source(), PhotonSource.class)) {
            return source.settings();
        }
    }

    String source() {
        return "sim:alice?" + query;
    }

    String tagger() {
        return "sim:bob?" + query;
    }
}
