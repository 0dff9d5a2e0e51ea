package io.hotaru.agent.topology;

import java.util.Locale;

/** What a node of a topology is; the YAML spells it in lower case with dashes. */
public enum NodeKind {
    /** A trusted node of a metropolitan fibre network. */
    METRO,
    /** An optical ground station: the ground end of a satellite link. */
    GROUND_STATION,
    /** A satellite carrying the transmitter of its satellite links (a trusted node in orbit). */
    SATELLITE;

    /** The YAML spelling: {@code metro}, {@code ground-station}, {@code satellite}. */
    public String wire() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
