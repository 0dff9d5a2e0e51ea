package io.hotaru.sim.physics;

/**
 * The optics of a free-space downlink (satellite to ground station), after Bourgoin et al., New J.
 * Phys. 15 (2013) 023006: the transmittance at a given slant range and elevation is the product of
 *
 * <ul>
 *   <li>geometric loss, the share of the beam the receiver's aperture collects: (D_R / (D_T + L·θ))²,
 *       at most 1, with θ the full-angle divergence;
 *   <li>atmospheric extinction, T_zenith raised to the air mass (Kasten and Young 1989, which stays
 *       finite at the horizon);
 *   <li>mean pointing loss of a Gaussian beam with random pointing error σ per axis: 1 / (1 +
 *       4σ²/(θ/2)²);
 *   <li>a fixed extra loss (telescope and relay optics).
 * </ul>
 *
 * Background (stray light) clicks per gate: the rate at the detectors, night or day, times the
 * detection window.
 *
 * @param wavelengthNm wavelength, for the record (the losses above take it through θ and T_zenith)
 * @param transmitterApertureM D_T
 * @param receiverApertureM D_R
 * @param divergenceRad θ, full angle
 * @param zenithTransmittance T_zenith, atmospheric transmittance at 90° elevation
 * @param pointingErrorRad σ, rms pointing error per axis
 * @param extraLossDb fixed optical loss on top
 * @param backgroundCountsPerSecondNight stray-light click rate at night
 * @param backgroundCountsPerSecondDay stray-light click rate by day
 * @param detectionWindowNs coincidence window that background clicks fall in
 */
public record FreeSpaceChannel(
        double wavelengthNm,
        double transmitterApertureM,
        double receiverApertureM,
        double divergenceRad,
        double zenithTransmittance,
        double pointingErrorRad,
        double extraLossDb,
        double backgroundCountsPerSecondNight,
        double backgroundCountsPerSecondDay,
        double detectionWindowNs) {

    public FreeSpaceChannel {
        Checks.positive("wavelengthNm", wavelengthNm);
        Checks.positive("transmitterApertureM", transmitterApertureM);
        Checks.positive("receiverApertureM", receiverApertureM);
        Checks.positive("divergenceRad", divergenceRad);
        Checks.probability("zenithTransmittance", zenithTransmittance);
        Checks.nonNegative("pointingErrorRad", pointingErrorRad);
        Checks.nonNegative("extraLossDb", extraLossDb);
        Checks.nonNegative("backgroundCountsPerSecondNight", backgroundCountsPerSecondNight);
        Checks.nonNegative("backgroundCountsPerSecondDay", backgroundCountsPerSecondDay);
        Checks.nonNegative("detectionWindowNs", detectionWindowNs);
    }

    /** Transmittance at slant range {@code rangeM} and elevation {@code elevationDeg}. */
    public double transmittance(double rangeM, double elevationDeg) {
        return geometricTransmittance(rangeM)
                * atmosphericTransmittance(elevationDeg)
                * pointingTransmittance()
                * Math.pow(10, -extraLossDb / 10);
    }

    /** Loss in dB at this range and elevation. */
    public double lossDb(double rangeM, double elevationDeg) {
        return -10 * Math.log10(transmittance(rangeM, elevationDeg));
    }

    public double geometricTransmittance(double rangeM) {
        double spot = transmitterApertureM + rangeM * divergenceRad;
        double r = receiverApertureM / spot;
        return Math.min(1, r * r);
    }

    /** T_zenith^airmass; 0 below the horizon. */
    public double atmosphericTransmittance(double elevationDeg) {
        if (elevationDeg <= 0) {
            return 0;
        }
        return Math.pow(zenithTransmittance, airMass(elevationDeg));
    }

    public double pointingTransmittance() {
        double halfAngle = divergenceRad / 2;
        return 1 / (1 + 4 * pointingErrorRad * pointingErrorRad / (halfAngle * halfAngle));
    }

    /** Background click probability per gate by day or night. */
    public double backgroundProbability(boolean daylight) {
        double rate = daylight ? backgroundCountsPerSecondDay : backgroundCountsPerSecondNight;
        return -Math.expm1(-rate * detectionWindowNs * 1e-9);
    }

    /** Kasten and Young (1989) relative air mass at elevation h degrees. */
    static double airMass(double elevationDeg) {
        return 1 / (Math.sin(Math.toRadians(elevationDeg)) + 0.50572 * Math.pow(elevationDeg + 6.07995, -1.6364));
    }
}
