package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The search on a noiseless error rate J = ((1 − R_ZZ) + (1 − R_XX))/4 for R = C(angles)·D, D the
 * fibre's rotation: it finds and follows the optimum C = D⁻¹, also where that lies on a fold of the
 * waveplate map (2a₂ = a₁ + a₃) and while a drift carries it across one.
 */
class PolarisationSearchTest {

    private static double errorRate(double[] angles, double[] fibre) {
        double[] r = WaveplateChain.times(WaveplateChain.rotationOf(angles), fibre);
        return ((1 - r[0]) + (1 - r[4])) / 4;
    }

    private static double[] inverse(double[] m) {
        return new double[] {m[0], m[3], m[6], m[1], m[4], m[7], m[2], m[5], m[8]};
    }

    /** Runs {@code iterations} iterations against a fibre that turns by {@code drift} per iteration. */
    private static double run(PolarisationSearch search, double[] fibre, double[] drift, int iterations) {
        double[] d = fibre;
        for (int i = 0; i < iterations; i++) {
            search.measured(errorRate(search.probe(), d));
            search.measured(errorRate(search.probe(), d));
            d = WaveplateChain.times(drift, d);
        }
        return errorRate(search.centre(), d);
    }

    @Test
    void findsAnOptimumThatLiesOnAFold() {
        double[] onFold = {10, 20, 30}; // 2·20 = 10 + 30
        double[] fibre = inverse(WaveplateChain.rotationOf(onFold));
        PolarisationSearch search = new PolarisationSearch(
                new double[] {-20, 5, 40}, PolarisationSearch.Settings.defaults(), new SplittableRandom(3));
        assertThat(errorRate(search.centre(), fibre)).isGreaterThan(0.01);
        assertThat(run(search, fibre, WaveplateChain.exp(0, 0, 0), 1500)).isLessThan(1e-4);
        assertThat(search.iterations()).isEqualTo(1500);
    }

    @Test
    void followsADriftThatCarriesTheOptimumAcrossAFold() {
        // Start at the optimum 4° off a fold (its Euler angle β = 2a₁ + 2a₃ − 4a₂); the drift turns
        // the fibre about the axis that carries D·z onto z, i.e. β through zero, 0.3 mrad per
        // iteration.
        double[] start = {10, 19, 30};
        double[] fibre = inverse(WaveplateChain.rotationOf(start));
        double vx = fibre[2];
        double vy = fibre[5];
        double norm = Math.hypot(vx, vy);
        double[] drift = WaveplateChain.exp(3e-4 * vy / norm, -3e-4 * vx / norm, 0);
        PolarisationSearch search =
                new PolarisationSearch(start, PolarisationSearch.Settings.defaults(), new SplittableRandom(4));
        double[] d = fibre;
        double worst = 0;
        double closestToFold = 1;
        for (int block = 0; block < 40; block++) {
            worst = Math.max(worst, run(search, d, drift, 50));
            for (int i = 0; i < 50; i++) {
                d = WaveplateChain.times(drift, d);
                // The optimum C = D⁻¹ is on a fold where its Euler angle β is 0 or π: |C_zz| = 1.
                closestToFold = Math.min(closestToFold, 1 - Math.abs(d[8]));
            }
        }
        assertThat(closestToFold).as("the optimum passes through a fold").isLessThan(1e-6);
        // 0.6 rad of drift in all; the search stays within 0.05 pp of the floor of 0.
        assertThat(worst).isLessThan(5e-4);
    }
}
