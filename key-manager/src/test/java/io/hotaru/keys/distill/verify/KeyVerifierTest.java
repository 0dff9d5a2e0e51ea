package io.hotaru.keys.distill.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import io.hotaru.keys.distill.bits.PackedBits;
import org.junit.jupiter.api.Test;

class KeyVerifierTest {
    @Test
    void equalKeysMatchAndAOneBitDifferenceDoesNot() {
        SeededRandom random = new SeededRandom(3);
        int n = 20_000;
        long[] key = random.nextBits(n);
        long[] seed = random.nextBits(KeyVerifier.seedBits(n, 64));
        long[] other = key.clone();
        PackedBits.flip(other, 12_345);
        long[] tag = KeyVerifier.tag(key, n, seed, 64);
        assertThat(KeyVerifier.matches(tag, KeyVerifier.tag(key.clone(), n, seed, 64), 64))
                .isTrue();
        assertThat(KeyVerifier.matches(tag, KeyVerifier.tag(other, n, seed, 64), 64))
                .isFalse();
        assertThat(KeyVerifier.matches(tag, new long[2], 64)).isFalse();
    }
}
