package io.hotaru.agent.demo;

import io.hotaru.drivers.SourceSettings;

/** The distillation's view of a photon source's settings: three intensities and the Z-basis share. */
final class DistillSourceSettings {

    private DistillSourceSettings() {}

    static io.hotaru.keys.distill.SourceSettings of(SourceSettings s) {
        double[] mu = s.intensities();
        double[] p = s.intensityProbabilities();
        if (mu.length != 3) {
            throw new IllegalArgumentException("the distillation needs three intensity levels (signal, decoy,"
                    + " vacuum); the source has " + mu.length);
        }
        return io.hotaru.keys.distill.SourceSettings.of(mu[0], mu[1], p[0], p[1], p[2], s.zBasisProbability());
    }
}
