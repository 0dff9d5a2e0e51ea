package io.hotaru.keys.distill.sift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.SourceSettings;
import io.hotaru.keys.distill.bits.PackedBits;
import org.junit.jupiter.api.Test;

class SiftedBlockTest {
    // Detections 0..7: intensity, Bob's basis, Alice's basis, bit.
    private static final byte[] INTENSITIES = {0, 0, 1, 2, 0, 1, 0, 0};
    private static final byte[] BOB_BASES = {0, 0, 1, 0, 1, 0, 0, 1};
    private static final byte[] ALICE_BASES = {0, 1, 1, 0, 1, 0, 0, 0};
    private static final byte[] BITS = {1, 0, 1, 1, 0, 1, 0, 1};

    private static SiftedBlock sift(int keyBasis) {
        return SiftedBlock.of(INTENSITIES, BOB_BASES, SiftedBlock.matchBases(ALICE_BASES, BOB_BASES), keyBasis);
    }

    @Test
    void theKeyBasisZKeepsTheSiftedZBitsAndDisclosesTheXBits() {
        SiftedBlock s = sift(SiftedBlock.Z);
        // Sifted: 0 (Z), 2 (X), 3 (Z), 4 (X), 5 (Z), 6 (Z); 1 and 7 differ in basis.
        assertThat(s.siftedTotal()).isEqualTo(6);
        assertThat(s.keyInputSize()).isEqualTo(4);
        assertThat(s.disclosedTotal()).isEqualTo(2);
        assertThat(s.disclosed(0)).isEqualTo(1);
        assertThat(s.disclosed(1)).isEqualTo(1);
        assertThat(s.disclosed(2)).isZero();
        // Key input in detection order: bits of 0, 3, 5, 6 = 1, 1, 1, 0.
        long[] key = s.keyInputBits(BITS);
        assertThat(new int[] {
                    PackedBits.get(key, 0), PackedBits.get(key, 1), PackedBits.get(key, 2), PackedBits.get(key, 3)
                })
                .containsExactly(1, 1, 1, 0);
        // Disclosed: bits of 2 and 4 = 1, 0.
        long[] disclosed = s.disclosedBits(BITS);
        assertThat(PackedBits.get(disclosed, 0)).isEqualTo(1);
        assertThat(PackedBits.get(disclosed, 1)).isEqualTo(0);
    }

    @Test
    void theKeyBasisXKeepsTheSiftedXBitsAndDisclosesTheZBits() {
        SiftedBlock s = sift(SiftedBlock.X);
        assertThat(s.keyInputSize()).isEqualTo(2);
        assertThat(s.disclosedTotal()).isEqualTo(4);
        assertThat(s.disclosed(0)).isEqualTo(2);
        assertThat(s.disclosed(1)).isEqualTo(1);
        assertThat(s.disclosed(2)).isEqualTo(1);
        assertThat(s.keyBasis()).isEqualTo(SiftedBlock.X);
    }

    @Test
    void theSourceKeysFromTheBasisItChoosesMoreOften() {
        assertThat(SourceSettings.of(0.5, 0.1, 0.3, 0.4, 0.3, 0.8).keyBasis()).isEqualTo(SiftedBlock.Z);
        assertThat(SourceSettings.of(0.5, 0.1, 0.3, 0.4, 0.3, 0.3).keyBasis()).isEqualTo(SiftedBlock.X);
        // A tie keys from X, as the protocol did before the key basis followed p_Z.
        assertThat(SourceSettings.of(0.5, 0.1, 0.3, 0.4, 0.3, 0.5).keyBasis()).isEqualTo(SiftedBlock.X);
    }

    @Test
    void anUnknownKeyBasisIsRefused() {
        assertThatThrownBy(() -> sift(2)).isInstanceOf(IllegalArgumentException.class);
    }
}
