package io.hotaru.keys.distill.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

class AsymptoticSecretLengthTest {
    @Test
    void computesTheDecoyBoundAndRoundsDownToBytes() {
        DecoyBounds decoy = new DecoyBounds(0.3, 0.02, 0.09);
        double expected = 50_000 * (0.09 / 0.14) * (1 - BinaryEntropy.h(0.02)) - 8_000 - 64 - 128;
        assertThat(AsymptoticSecretLength.bound(50_000, 0.14, decoy, 8_000, 64, 128))
                .isEqualTo(expected);
        int bits = AsymptoticSecretLength.bits(50_000, 0.14, decoy, 8_000, 64, 128);
        assertThat(bits % 8).isZero();
        assertThat(bits).isLessThanOrEqualTo((int) expected).isGreaterThan((int) expected - 8);
    }

    @Test
    void isZeroWithoutSinglePhotonsOrWhenLeakageEatsEverything() {
        assertThat(AsymptoticSecretLength.bits(50_000, 0.14, new DecoyBounds(0, 0.5, 0), 0, 64, 0))
                .isZero();
        assertThat(AsymptoticSecretLength.bits(1_000, 0.14, new DecoyBounds(0.3, 0.02, 0.09), 900, 64, 128))
                .isZero();
    }

    @Property(tries = 500)
    void neverExceedsTheBoundNorWhatIsLeftAfterDisclosure(
            @ForAll @IntRange(min = 0, max = 1_000_000) int keyInput,
            @ForAll @Scale(6) @DoubleRange(min = 1e-4, max = 1) double gainMu,
            @ForAll @Scale(6) @DoubleRange(min = 0, max = 2) double q1OverGain,
            @ForAll @Scale(6) @DoubleRange(min = 0, max = 0.5) double e1,
            @ForAll @IntRange(min = 0, max = 1_000_000) int leaked,
            @ForAll @IntRange(min = 64, max = 256) int verification,
            @ForAll @IntRange(min = 0, max = 1_000) int margin) {
        DecoyBounds decoy = new DecoyBounds(1, e1, q1OverGain * gainMu);
        int bits = AsymptoticSecretLength.bits(keyInput, gainMu, decoy, leaked, verification, margin);
        assertThat(bits).isNotNegative();
        assertThat((long) bits).isLessThanOrEqualTo(Math.max(0L, (long) keyInput - leaked - verification - margin));
        assertThat((double) bits)
                .isLessThanOrEqualTo(Math.max(
                        0, AsymptoticSecretLength.bound(keyInput, gainMu, decoy, leaked, verification, margin)));
        assertThat(bits % 8).isZero();
    }
}
