package io.hotaru.keys.distill.estimate;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.distill.SeededRandom;
import io.hotaru.keys.distill.bits.PackedBits;
import org.junit.jupiter.api.Test;

class SampleSelectorTest {
    @Test
    void selectsExactlyTheRequestedNumberOfDistinctPositions() {
        long[] mask = SampleSelector.select(10_007, 1_001, new SeededRandom(7));
        assertThat(mask).hasSize(PackedBits.words(10_007));
        int count = 0;
        for (long w : mask) {
            count += Long.bitCount(w);
        }
        assertThat(count).isEqualTo(1_001);
        assertThat(PackedBits.copyOf(mask, 10_007)).isEqualTo(mask);
    }

    @Test
    void sizeIsTheFractionWithAFloorAndNeverThePopulation() {
        assertThat(SampleSelector.sampleSize(50_000, 0.1, 100)).isEqualTo(5_000);
        assertThat(SampleSelector.sampleSize(500, 0.1, 100)).isEqualTo(100);
        assertThat(SampleSelector.sampleSize(50, 0.1, 100)).isEqualTo(50);
    }
}
