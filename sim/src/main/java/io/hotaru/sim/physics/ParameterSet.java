package io.hotaru.sim.physics;

import java.util.Objects;
import java.util.Optional;

/**
 * A named parameter set: the link, its detectors, optionally a free-space downlink (then the fibre
 * fields of {@code link} are zero), and the post-processing figures the key rate needs.
 *
 * @param name short name, e.g. {@code gys}
 * @param description one line
 * @param reference where the figures come from
 * @param link source, fibre and detector
 * @param detectors detector imperfections
 * @param freeSpace the downlink optics, or null for a fibre link
 * @param altitudeKm orbit altitude for synthetic passes, NaN for a fibre link
 * @param errorCorrectionEfficiency f
 * @param siftingFactor q
 */
public record ParameterSet(
        String name,
        String description,
        String reference,
        LinkParameters link,
        DetectorImperfections detectors,
        FreeSpaceChannel freeSpace,
        double altitudeKm,
        double errorCorrectionEfficiency,
        double siftingFactor) {

    public ParameterSet {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(detectors, "detectors");
        if (!(errorCorrectionEfficiency >= 1)) {
            throw new IllegalArgumentException(
                    "error_correction_efficiency must be >= 1, got " + errorCorrectionEfficiency);
        }
        Checks.probability("sifting_factor", siftingFactor);
    }

    public Optional<FreeSpaceChannel> freeSpaceChannel() {
        return Optional.ofNullable(freeSpace);
    }

    /** The fibre link of this set (at its own length), with its detectors and no eavesdropper. */
    public LinkModel fibreModel() {
        return LinkModel.of(link).withDetectors(detectors);
    }

    /** The satellite link over {@code pass}, by day or night. */
    public LinkModel passModel(PassGeometry pass, boolean daylight) {
        if (freeSpace == null) {
            throw new IllegalArgumentException("parameter set '" + name + "' has no free_space section");
        }
        return fibreModel().withChannel(new PassChannel(freeSpace, pass, daylight));
    }
}
