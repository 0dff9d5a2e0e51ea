package io.hotaru.keys.distill.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.offset;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class LimFiniteKeyTest {
    private static final double[] MU = {0.4, 0.15, 0.0};
    private static final double[] P = {0.4, 0.3, 0.3};
    private static final double EPS_SEC = 1e-10;
    private static final double EPS_COR = 1e-15;

    static List<IntensityCounts> counts(long[] nX, long[] nZ, long[] mZ) {
        List<IntensityCounts> out = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            out.add(new IntensityCounts(1e9, 0, (int) (nX[k] + nZ[k]), (int) nZ[k], (int) mZ[k]));
        }
        return out;
    }

    static FiniteKeyEstimate estimate(long[] nX, long[] nZ, long[] mZ, long leaked) {
        return LimFiniteKey.estimate(MU, P, counts(nX, nZ, mZ), leaked, EPS_SEC, EPS_COR);
    }

    /**
     * Values from an independent implementation of the same formulas (Python, double precision,
     * written from decoy-bb84-and-limits.md §4 and checked against arXiv:1311.7129 Eqs. (1)–(5));
     * relative tolerance 10⁻⁹.
     */
    @Test
    void matchesAnIndependentImplementation() {
        check(
                estimate(
                        new long[] {120_000, 35_000, 500},
                        new long[] {16_000, 4_700, 70},
                        new long[] {340, 110, 35},
                        20_000),
                0,
                93332.8366663,
                8649.65057154,
                858.679766953,
                0.13200845995,
                20517.3451528);
        check(
                estimate(
                        new long[] {1_234_567, 345_678, 4_321},
                        new long[] {234_567, 65_432, 876},
                        new long[] {4_567, 1_987, 432},
                        150_000),
                0,
                999232.721416,
                174636.115013,
                8204.04276963,
                0.0521900496627,
                553554.775033);
        // Enough vacuum counts for s_X,0 > 0, and no decoy errors: φ_X is γ alone, taken at b = 1/s_Z,1.
        check(
                estimate(
                        new long[] {120_000, 35_000, 5_000},
                        new long[] {16_000, 4_700, 900},
                        new long[] {340, 110, 450},
                        20_000),
                9794.41733587,
                72324.7871504,
                4487.21812413,
                0,
                0.00239364654704,
                60085.9638821);
        // Too few counts: no single photons, φ_X = ½, a negative bound.
        check(
                estimate(new long[] {5_000, 1_000, 30}, new long[] {800, 200, 5}, new long[] {20, 6, 2}, 0),
                0,
                0,
                0,
                150.109374502,
                0.5,
                -276.498511653);
    }

    private static void check(
            FiniteKeyEstimate e, double sX0, double sX1, double sZ1, double vZ1, double phiX, double bound) {
        assertThat(e.sX0()).isCloseTo(sX0, within(1e-9 * Math.max(1, sX0)));
        assertThat(e.sX1()).isCloseTo(sX1, within(1e-9 * Math.max(1, sX1)));
        assertThat(e.sZ1()).isCloseTo(sZ1, within(1e-9 * Math.max(1, sZ1)));
        assertThat(e.vZ1()).isCloseTo(vZ1, within(1e-9 * Math.max(1, vZ1)));
        assertThat(e.phiX()).isCloseTo(phiX, within(1e-10));
        assertThat(e.bound()).isCloseTo(bound, within(1e-9 * Math.max(1, Math.abs(bound))));
        assertThat(e.epsSec()).isEqualTo(EPS_SEC);
        assertThat(e.epsCor()).isEqualTo(EPS_COR);
    }

    @Test
    void constantTermsAreThoseOfThePaper() {
        FiniteKeyEstimate e = estimate(
                new long[] {120_000, 35_000, 500}, new long[] {16_000, 4_700, 70}, new long[] {340, 110, 35}, 0);
        double expected = e.sX0()
                + e.sX1() * (1 - BinaryEntropy.h(e.phiX()))
                - 6 * Math.log(21 / EPS_SEC) / Math.log(2)
                - Math.log(2 / EPS_COR) / Math.log(2);
        assertThat(e.bound()).isCloseTo(expected, within(1e-9));
        // 6·log₂(21/10⁻¹⁰) + log₂(2/10⁻¹⁵) = 225.67 + 50.83
        assertThat(6 * Math.log(21 / EPS_SEC) / Math.log(2) + Math.log(2 / EPS_COR) / Math.log(2))
                .isCloseTo(276.4985, within(1e-4));
        assertThat(LimFiniteKey.tau(0, MU, P))
                .isCloseTo(0.4 * Math.exp(-0.4) + 0.3 * Math.exp(-0.15) + 0.3, within(1e-15));
        assertThat(LimFiniteKey.tau(1, MU, P))
                .isCloseTo(0.4 * 0.4 * Math.exp(-0.4) + 0.3 * 0.15 * Math.exp(-0.15), within(1e-15));
    }

    /**
     * With the channel's expected counts (decoy-bb84-and-limits.md §1: η = 0.3, Y₀ = 10⁻⁴, e_d = 2 %,
     * Z chosen with 0.3 at both ends) the bound per pulse rises towards the asymptotic two-decoy rate
     * (1 − p_Z)²·[τ₀·Y₀ + τ₁·Y₁ᴸ·(1 − h(e₁ᵁ))] with Y₁ᴸ, e₁ᵁ of Ma–Qi–Zhao–Lo, and never exceeds it.
     */
    @Test
    void approachesTheAsymptoticRateAsTheBlockGrows() {
        double eta = 0.3;
        double y0 = 1e-4;
        double ed = 0.02;
        double pZ = 0.3;
        double[] gain = new double[3];
        double[] errorGain = new double[3];
        for (int k = 0; k < 3; k++) {
            gain[k] = y0 + 1 - Math.exp(-eta * MU[k]);
            errorGain[k] = 0.5 * y0 + ed * (1 - Math.exp(-eta * MU[k]));
        }
        DecoyBounds asymptotic = DecoyBounds.estimate(MU[0], MU[1], gain[0], gain[1], gain[2], errorGain[1] / gain[1]);
        double rate = (1 - pZ)
                * (1 - pZ)
                * (LimFiniteKey.tau(0, MU, P) * gain[2]
                        + LimFiniteKey.tau(1, MU, P)
                                * asymptotic.y1Lower()
                                * (1 - BinaryEntropy.h(asymptotic.e1Upper())));
        assertThat(rate).isCloseTo(0.0175945792, within(1e-9));
        double previous = Double.NEGATIVE_INFINITY;
        double[] ratios = new double[4];
        int i = 0;
        for (double pulses : new double[] {1e7, 1e8, 1e9, 1e10}) {
            long[] nX = new long[3];
            long[] nZ = new long[3];
            long[] mZ = new long[3];
            for (int k = 0; k < 3; k++) {
                nX[k] = Math.round(pulses * P[k] * (1 - pZ) * (1 - pZ) * gain[k]);
                nZ[k] = Math.round(pulses * P[k] * pZ * pZ * gain[k]);
                mZ[k] = Math.round(pulses * P[k] * pZ * pZ * errorGain[k]);
            }
            double ratio = estimate(nX, nZ, mZ, 0).bound() / pulses / rate;
            assertThat(ratio).as("N = %g", pulses).isGreaterThan(previous).isLessThan(1);
            previous = ratio;
            ratios[i++] = ratio;
        }
        // Independent implementation: 0.6448, 0.8885, 0.9631, 0.9881.
        assertThat(ratios)
                .containsExactly(new double[] {0.644818851, 0.888478034, 0.963106946, 0.988064267}, offset(1e-8));
    }

    /**
     * A block of 2¹⁸ detections (the daemon's default block) of the gys set at 50 km (α = 0.21 dB/km,
     * η_Bob = 4.5 %, Y₀ = 1.7·10⁻⁶, e_d = 3.3 %, μ = 0.48 / 0.1 / 0) with the channel's expected
     * counts, p_Z = ½, and λ_EC = 1.22·n·h(E_μ): with the preset's decoy-heavy probabilities 0.2 /
     * 0.5 / 0.3 the bound leaves key; with 0.8 / 0.1 / 0.1 the decoy statistics are too thin for
     * Lim's bounds and no block of this size would.
     */
    @Test
    void aGysBlockOfTheDaemonsSizeAtFiftyKmYieldsAPositiveBound() {
        double[] mu = {0.48, 0.1, 0};
        double eta = 0.045 * Math.pow(10, -0.21 * 50 / 10);
        int detections = 1 << 18;
        double[] decoyHeavy = {0.2, 0.5, 0.3};
        FiniteKeyEstimate e = expectedBlock(mu, decoyHeavy, 0.5, eta, 1.7e-6, 0.033, detections, 1.22);
        int keyInput = (int) Math.round(detections * 0.25);
        assertThat(e.sX1()).isPositive();
        assertThat(e.phiX()).isLessThan(0.11);
        assertThat(e.bound()).isGreaterThan(1_000);
        assertThat(SecretLength.bits(e, keyInput, 50, 0)).isPositive();
        // Independent implementation (Python, same formulas, leakage unrounded): 4,580 bits.
        assertThat(e.bound()).isCloseTo(4580, within(5.0));

        double[] signalHeavy = {0.8, 0.1, 0.1};
        assertThat(expectedBlock(mu, signalHeavy, 0.5, eta, 1.7e-6, 0.033, detections, 1.22)
                        .bound())
                .isNegative();
    }

    /**
     * The fibre-1ghz set at 50 km (0.2 dB/km + 1 dB, η_Bob = 80 %, Y₀ = 10⁻⁷, e_d = 1 %, μ = 0.5 /
     * 0.1 / 0, probabilities 0.3 / 0.4 / 0.3, p_Z = 0.8): keyed from the likely basis, a block of
     * 2¹⁸ detections leaves over 10⁴ bits; keyed from the unlikely one (4 % of the detections),
     * under a tenth of that.
     */
    @Test
    void keyingFromTheLikelyBasisLeavesTenTimesTheKeyOfTheUnlikelyOne() {
        double[] mu = {0.5, 0.1, 0};
        double[] p = {0.3, 0.4, 0.3};
        double eta = 0.8 * Math.pow(10, -(0.2 * 50 + 1) / 10);
        int detections = 1 << 18;
        FiniteKeyEstimate likely = expectedBlock(mu, p, 0.8, eta, 1e-7, 0.01, detections, 1.16);
        FiniteKeyEstimate unlikely = expectedBlock(mu, p, 0.2, eta, 1e-7, 0.01, detections, 1.16);
        assertThat(SecretLength.bits(likely, (int) Math.round(detections * 0.64), 50, 0))
                .isPositive();
        assertThat(likely.bound()).isGreaterThan(10_000).isGreaterThan(10 * unlikely.bound());
    }

    /**
     * The expected counts of a block of {@code detections} detections on a channel of transmittance
     * η (decoy-bb84-and-limits.md §1), keyed from a basis both ends choose with probability {@code
     * qKey}, λ_EC = f·n_X·h(E_μ).
     */
    private static FiniteKeyEstimate expectedBlock(
            double[] mu, double[] p, double qKey, double eta, double y0, double ed, int detections, double f) {
        double[] gain = new double[3];
        double[] errorGain = new double[3];
        double total = 0;
        for (int k = 0; k < 3; k++) {
            gain[k] = y0 + 1 - Math.exp(-eta * mu[k]);
            errorGain[k] = 0.5 * y0 + ed * (1 - Math.exp(-eta * mu[k]));
            total += p[k] * gain[k];
        }
        long[] nX = new long[3];
        long[] nZ = new long[3];
        long[] mZ = new long[3];
        long keyInput = 0;
        for (int k = 0; k < 3; k++) {
            double share = detections * p[k] / total;
            nX[k] = Math.round(share * qKey * qKey * gain[k]);
            nZ[k] = Math.round(share * (1 - qKey) * (1 - qKey) * gain[k]);
            mZ[k] = Math.round(share * (1 - qKey) * (1 - qKey) * errorGain[k]);
            keyInput += nX[k];
        }
        long leaked = Math.round(f * keyInput * BinaryEntropy.h(errorGain[0] / gain[0]));
        return LimFiniteKey.estimate(mu, p, counts(nX, nZ, mZ), leaked, EPS_SEC, EPS_COR);
    }

    @Property(tries = 2_000)
    void finalLengthNeverExceedsTheBound(
            @ForAll @IntRange(min = 0, max = 2_000_000) int nX1,
            @ForAll @IntRange(min = 0, max = 1_000_000) int nX2,
            @ForAll @IntRange(min = 0, max = 100_000) int nX3,
            @ForAll @IntRange(min = 0, max = 400_000) int nZ1,
            @ForAll @IntRange(min = 0, max = 200_000) int nZ2,
            @ForAll @IntRange(min = 0, max = 20_000) int nZ3,
            @ForAll @IntRange(min = 0, max = 1_000) int errorPerMille1,
            @ForAll @IntRange(min = 0, max = 1_000) int errorPerMille2,
            @ForAll @IntRange(min = 0, max = 1_000) int errorPerMille3,
            @ForAll @LongRange(min = 0, max = 1_000_000) long leaked,
            @ForAll @IntRange(min = 0, max = 1_000) int margin) {
        long[] nX = {nX1, nX2, nX3};
        long[] nZ = {nZ1, nZ2, nZ3};
        long[] mZ = {
            nZ1 * (long) errorPerMille1 / 1000, nZ2 * (long) errorPerMille2 / 1000, nZ3 * (long) errorPerMille3 / 1000
        };
        FiniteKeyEstimate e = estimate(nX, nZ, mZ, leaked);
        int keyInput = nX1 + nX2 + nX3;
        int bits = SecretLength.bits(e, keyInput, 50, margin);
        assertThat(bits).isNotNegative();
        assertThat(bits % 8).isZero();
        assertThat((double) bits).isLessThanOrEqualTo(Math.max(0, Math.floor(e.bound()) - margin));
        assertThat((long) bits).isLessThanOrEqualTo(Math.max(0, keyInput - leaked - 50 - margin));
        assertThat(e.phiX()).isBetween(0.0, 0.5);
        assertThat(e.sX0()).isNotNegative();
        assertThat(e.sX1()).isNotNegative();
        assertThat(e.sX0() + e.sX1()).isLessThanOrEqualTo(keyInput);
        if (e.bound() < 8) {
            assertThat(bits).isZero();
        }
        // λ_EC enters once, bit for bit.
        assertThat(estimate(nX, nZ, mZ, leaked + 1000).bound()).isCloseTo(e.bound() - 1000, within(1e-6));
    }
}
