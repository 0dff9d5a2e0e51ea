package io.hotaru.sim.physics;

import java.util.Objects;

/**
 * A link as the sampler runs it: the source and detector of {@link LinkParameters}, the optical
 * channel (the parameters' fibre, or a satellite pass), the detectors' imperfections and an
 * eavesdropper.
 *
 * @param parameters source, detector efficiency η_Bob, dark counts Y_0, misalignment e_d (and the
 *     fibre, used when {@code channel} is the parameters' own)
 * @param channel the path from Alice's output to Bob's receiver
 * @param detectors imperfections of Bob's four detectors
 * @param attack what Eve does
 */
public record LinkModel(
        LinkParameters parameters, QuantumChannel channel, DetectorImperfections detectors, Attack attack) {

    public LinkModel {
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(detectors, "detectors");
        Objects.requireNonNull(attack, "attack");
    }

    /** The parameters' fibre link with ideal detectors and no eavesdropper. */
    public static LinkModel of(LinkParameters parameters) {
        return new LinkModel(parameters, parameters.channel(), DetectorImperfections.NONE, Attack.NONE);
    }

    public LinkModel withChannel(QuantumChannel c) {
        return new LinkModel(parameters, c, detectors, attack);
    }

    public LinkModel withDetectors(DetectorImperfections d) {
        return new LinkModel(parameters, channel, d, attack);
    }

    public LinkModel withAttack(Attack a) {
        return new LinkModel(parameters, channel, detectors, a);
    }

    /** Total transmittance η = channel × η_Bob at {@code linkSeconds}. */
    public double transmittanceAt(double linkSeconds) {
        return channel.transmittanceAt(linkSeconds) * parameters.detectorEfficiency();
    }

    /** Y_0 at {@code linkSeconds}: dark counts and background. */
    public double darkProbabilityAt(double linkSeconds) {
        double y0 = parameters.darkCountProbability();
        double bg = channel.backgroundProbabilityAt(linkSeconds);
        return y0 + bg - y0 * bg;
    }

    /** The honest expectation at {@code linkSeconds}: what the operator should measure without Eve. */
    public AnalyticModel analyticAt(double linkSeconds) {
        return AnalyticModel.of(parameters, transmittanceAt(linkSeconds), darkProbabilityAt(linkSeconds));
    }

    /** Probability of a click in a slot of each level at {@code linkSeconds}, Eve included. */
    public double[] clickProbabilitiesAt(double linkSeconds) {
        return responseAt(linkSeconds).click().clone();
    }

    /**
     * Per intensity level at {@code linkSeconds}: the probability of a click in a slot, and the share
     * of those clicks that come from Alice's (or Eve's) light rather than from a dark count.
     */
    LevelResponse responseAt(double linkSeconds) {
        int levels = parameters.levelCount();
        double[] click = new double[levels];
        double[] photonShare = new double[levels];
        double eta = transmittanceAt(linkSeconds);
        double y = darkProbabilityAt(linkSeconds);
        double[] light = new double[levels];
        for (int k = 0; k < levels; k++) {
            light[k] = -Math.expm1(-eta * parameters.intensity(k));
        }
        if (attack instanceof Attack.PhotonNumberSplitting) {
            double etaBob = parameters.detectorEfficiency();
            double s0 = splitForwardedDetection(parameters.intensity(0), etaBob);
            double forward = s0 > 0 ? Math.min(1, light[0] / s0) : 0;
            for (int k = 0; k < levels; k++) {
                light[k] = forward * splitForwardedDetection(parameters.intensity(k), etaBob);
            }
        } else if (attack instanceof Attack.DetectorBlinding) {
            double honestSignal = light[0] + y * (1 - light[0]);
            double eve0 = -Math.expm1(-parameters.intensity(0)) / 2;
            double trigger = eve0 > 0 ? Math.min(1, honestSignal / eve0) : 0;
            for (int k = 0; k < levels; k++) {
                light[k] = trigger * -Math.expm1(-parameters.intensity(k)) / 2;
            }
            y = 0; // blinded detectors see no dark counts
        }
        for (int k = 0; k < levels; k++) {
            click[k] = light[k] + y * (1 - light[k]);
            photonShare[k] = click[k] > 0 ? light[k] * (1 - y) / click[k] : 0;
        }
        return new LevelResponse(click, photonShare);
    }

    /**
     * PNS: probability that Bob detects a photon of a pulse of mean μ when Eve blocks single photons,
     * keeps one of each multi-photon pulse and forwards the rest losslessly to a detector of
     * efficiency η_B: Σ_{n≥2} P_μ(n)·(1 − (1 − η_B)^(n−1)) = 1 − e^(−μ) − (e^(−μη_B) − e^(−μ))/(1 − η_B).
     */
    static double splitForwardedDetection(double mu, double etaBob) {
        if (mu == 0) {
            return 0;
        }
        if (etaBob >= 1) {
            return 1 - Math.exp(-mu) - mu * Math.exp(-mu);
        }
        double x = 1 - etaBob;
        return -Math.expm1(-mu) - (Math.exp(-mu * etaBob) - Math.exp(-mu)) / x;
    }

    /** Click probabilities per level and the share of clicks due to light. */
    record LevelResponse(double[] click, double[] photonShare) {}
}
