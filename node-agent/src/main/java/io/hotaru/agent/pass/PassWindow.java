package io.hotaru.agent.pass;

import java.time.Instant;

/**
 * One satellite pass as the node schedules it, in orbit (simulated) time.
 *
 * @param aos acquisition of signal: the satellite rises above the station's elevation mask
 * @param los loss of signal
 * @param maxElevationDeg highest elevation during the pass
 */
public record PassWindow(Instant aos, Instant los, double maxElevationDeg) {}
