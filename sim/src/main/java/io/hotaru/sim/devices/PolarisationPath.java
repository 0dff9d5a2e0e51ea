package io.hotaru.sim.devices;

import io.hotaru.sim.physics.StokesRotation;

/**
 * What Bob's polarisation controller does to the light of one simulated link, shared between the
 * {@code sim:polarisation} controller that sets it and the {@code sim:bob} time tagger that applies
 * it (after the fibre's drift) to every detection. Safe to use from any thread.
 */
final class PolarisationPath {

    private volatile StokesRotation controller = StokesRotation.IDENTITY;

    StokesRotation controller() {
        return controller;
    }

    void setController(StokesRotation rotation) {
        controller = rotation;
    }
}
