package io.hotaru.sim.physics;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Everything that determines a simulated decoy-state BB84 link: the source (repetition rate,
 * intensity levels and how often each is sent, Z-basis probability), the fibre and the detector.
 * Immutable; validated on construction, with messages that name the offending field.
 *
 * @param repetitionRateHz pulse repetition rate; one slot per pulse
 * @param intensities mean photon numbers μ_k per level; index 0 is the signal
 * @param intensityProbabilities probability that a slot carries level k; sums to 1
 * @param zBasisProbability probability that Alice encodes in Z (basis 0), in (0, 1)
 * @param attenuationDbPerKm fibre attenuation α
 * @param lengthKm fibre length L
 * @param extraLossDb loss on top of α·L
 * @param detectorEfficiency η_Bob
 * @param darkCountProbability Y_0 per gate
 * @param misalignmentError e_d
 * @param receiverZBasisProbability probability that Bob's passive basis splitter sends a photon to
 *     his Z detectors, in (0, 1); without it, Alice's p_Z (a receiver matched to the source)
 */
public record LinkParameters(
        double repetitionRateHz,
        double[] intensities,
        double[] intensityProbabilities,
        double zBasisProbability,
        double attenuationDbPerKm,
        double lengthKm,
        double extraLossDb,
        double detectorEfficiency,
        double darkCountProbability,
        double misalignmentError,
        double receiverZBasisProbability) {

    /** Names of the parameter sets that {@link #named} knows. */
    public static final List<String> NAMES = List.of("demo", "gys");

    public LinkParameters {
        Checks.positive("repetitionRateHz", repetitionRateHz);
        if (intensities == null || intensities.length == 0) {
            throw new IllegalArgumentException("intensities must name at least one level");
        }
        if (intensityProbabilities == null || intensityProbabilities.length != intensities.length) {
            throw new IllegalArgumentException(
                    "intensityProbabilities must have one entry per intensity (" + intensities.length + ")");
        }
        double sum = 0;
        for (int k = 0; k < intensities.length; k++) {
            Checks.nonNegative("intensities[" + k + "]", intensities[k]);
            Checks.probability("intensityProbabilities[" + k + "]", intensityProbabilities[k]);
            sum += intensityProbabilities[k];
        }
        if (Math.abs(sum - 1) > 1e-9) {
            throw new IllegalArgumentException("intensityProbabilities must sum to 1, got " + sum);
        }
        if (!(zBasisProbability > 0 && zBasisProbability < 1)) {
            throw new IllegalArgumentException("zBasisProbability must be in (0, 1), got " + zBasisProbability);
        }
        if (!(receiverZBasisProbability > 0 && receiverZBasisProbability < 1)) {
            throw new IllegalArgumentException(
                    "receiverZBasisProbability must be in (0, 1), got " + receiverZBasisProbability);
        }
        intensities = intensities.clone();
        intensityProbabilities = intensityProbabilities.clone();
        // The component records validate the remaining fields and name them.
        new FibreChannel(attenuationDbPerKm, lengthKm, extraLossDb);
        new ThresholdDetector(detectorEfficiency, darkCountProbability, misalignmentError);
    }

    /** A link whose receiver splits the bases as the source chooses them (p_Z on both sides). */
    public LinkParameters(
            double repetitionRateHz,
            double[] intensities,
            double[] intensityProbabilities,
            double zBasisProbability,
            double attenuationDbPerKm,
            double lengthKm,
            double extraLossDb,
            double detectorEfficiency,
            double darkCountProbability,
            double misalignmentError) {
        this(
                repetitionRateHz,
                intensities,
                intensityProbabilities,
                zBasisProbability,
                attenuationDbPerKm,
                lengthKm,
                extraLossDb,
                detectorEfficiency,
                darkCountProbability,
                misalignmentError,
                zBasisProbability);
    }

    /**
     * The GYS channel and detector (Gobby, Yuan, Shields 2004, as tabulated by Ma et al. 2005): α =
     * 0.21 dB/km, e_d = 3.3 %, Y_0 = 1.7·10⁻⁶, η_Bob = 4.5 %. The source is our choice: 1 GHz,
     * intensities 0.48 / 0.1 / 0 sent with probabilities 0.2 / 0.5 / 0.3 (decoy-heavy, so that the
     * finite-key bound of Lim et al. leaves key in blocks of 2¹⁸ detections; with 0.8 / 0.1 / 0.1 it
     * needs about 2²⁴), p_Z = 0.5; 50 km.
     */
    public static LinkParameters gys() {
        return new LinkParameters(
                1e9, new double[] {0.48, 0.1, 0}, new double[] {0.2, 0.5, 0.3}, 0.5, 0.21, 50, 0, 0.045, 1.7e-6, 0.033);
    }

    /**
     * The demo link: the GYS channel and detector with a 100 MHz source, intensities 0.5 / 0.1 / 0
     * with probabilities 0.8 / 0.1 / 0.1, p_Z = 0.5, 25 km: about 5.5·10⁵ detections per second, so
     * that two nodes run on one machine.
     */
    public static LinkParameters demo() {
        return new LinkParameters(
                1e8, new double[] {0.5, 0.1, 0}, new double[] {0.8, 0.1, 0.1}, 0.5, 0.21, 25, 0, 0.045, 1.7e-6, 0.033);
    }

    /** The parameter set called {@code name} (one of {@link #NAMES}). */
    public static Optional<LinkParameters> named(String name) {
        switch (name) {
            case "demo":
                return Optional.of(demo());
            case "gys":
                return Optional.of(gys());
            default:
                return Optional.empty();
        }
    }

    public LinkParameters withLengthKm(double km) {
        return new LinkParameters(
                repetitionRateHz,
                intensities,
                intensityProbabilities,
                zBasisProbability,
                attenuationDbPerKm,
                km,
                extraLossDb,
                detectorEfficiency,
                darkCountProbability,
                misalignmentError,
                receiverZBasisProbability);
    }

    public LinkParameters withExtraLossDb(double db) {
        return new LinkParameters(
                repetitionRateHz,
                intensities,
                intensityProbabilities,
                zBasisProbability,
                attenuationDbPerKm,
                lengthKm,
                db,
                detectorEfficiency,
                darkCountProbability,
                misalignmentError,
                receiverZBasisProbability);
    }

    public LinkParameters withRepetitionRateHz(double hz) {
        return new LinkParameters(
                hz,
                intensities,
                intensityProbabilities,
                zBasisProbability,
                attenuationDbPerKm,
                lengthKm,
                extraLossDb,
                detectorEfficiency,
                darkCountProbability,
                misalignmentError,
                receiverZBasisProbability);
    }

    public LinkParameters withReceiverZBasisProbability(double p) {
        return new LinkParameters(
                repetitionRateHz,
                intensities,
                intensityProbabilities,
                zBasisProbability,
                attenuationDbPerKm,
                lengthKm,
                extraLossDb,
                detectorEfficiency,
                darkCountProbability,
                misalignmentError,
                p);
    }

    @Override
    public double[] intensities() {
        return intensities.clone();
    }

    @Override
    public double[] intensityProbabilities() {
        return intensityProbabilities.clone();
    }

    public int levelCount() {
        return intensities.length;
    }

    public double intensity(int level) {
        return intensities[level];
    }

    public double intensityProbability(int level) {
        return intensityProbabilities[level];
    }

    public FibreChannel channel() {
        return new FibreChannel(attenuationDbPerKm, lengthKm, extraLossDb);
    }

    public ThresholdDetector detector() {
        return new ThresholdDetector(detectorEfficiency, darkCountProbability, misalignmentError);
    }

    /** Total transmittance η = η_Bob · 10^(−(α·L + extra)/10). */
    public double transmittance() {
        return detectorEfficiency * channel().transmittance();
    }

    /** Duration of one slot in picoseconds. */
    public double slotPeriodPs() {
        return 1e12 / repetitionRateHz;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkParameters p
                && p.repetitionRateHz == repetitionRateHz
                && Arrays.equals(p.intensities, intensities)
                && Arrays.equals(p.intensityProbabilities, intensityProbabilities)
                && p.zBasisProbability == zBasisProbability
                && p.attenuationDbPerKm == attenuationDbPerKm
                && p.lengthKm == lengthKm
                && p.extraLossDb == extraLossDb
                && p.detectorEfficiency == detectorEfficiency
                && p.darkCountProbability == darkCountProbability
                && p.misalignmentError == misalignmentError
                && p.receiverZBasisProbability == receiverZBasisProbability;
    }

    @Override
    public int hashCode() {
        int h = Double.hashCode(repetitionRateHz);
        h = 31 * h + Arrays.hashCode(intensities);
        h = 31 * h + Arrays.hashCode(intensityProbabilities);
        h = 31 * h + Double.hashCode(lengthKm);
        h = 31 * h + Double.hashCode(extraLossDb);
        return h;
    }

    @Override
    public String toString() {
        return "LinkParameters[rate=" + repetitionRateHz + " Hz, μ=" + Arrays.toString(intensities) + ", p="
                + Arrays.toString(intensityProbabilities) + ", pZ=" + zBasisProbability + ", α=" + attenuationDbPerKm
                + " dB/km, L=" + lengthKm + " km, extra=" + extraLossDb + " dB, η_Bob=" + detectorEfficiency
                + ", Y0=" + darkCountProbability + ", e_d=" + misalignmentError + ", Bob pZ="
                + receiverZBasisProbability
                + "]";
    }
}
