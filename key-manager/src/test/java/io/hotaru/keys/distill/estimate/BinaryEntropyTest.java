package io.hotaru.keys.distill.estimate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BinaryEntropyTest {
    /** reconciliation-and-amplification.md §1, tolerance 1e-6. */
    @ParameterizedTest
    @CsvSource({
        "0.01, 0.080793",
        "0.02, 0.141441",
        "0.05, 0.286397",
        "0.08, 0.402179",
        "0.10, 0.468996",
        "0.11, 0.499916"
    })
    void matchesReferenceTable(double q, double expected) {
        assertThat(BinaryEntropy.h(q)).isCloseTo(expected, within(1e-6));
    }

    @Test
    void isZeroAtTheEndsAndOneInTheMiddle() {
        assertThat(BinaryEntropy.h(0)).isZero();
        assertThat(BinaryEntropy.h(1)).isZero();
        assertThat(BinaryEntropy.h(0.5)).isCloseTo(1, within(1e-15));
        assertThat(BinaryEntropy.h(0.3)).isCloseTo(BinaryEntropy.h(0.7), within(1e-15));
    }

    @Test
    void rejectsValuesOutsideTheUnitInterval() {
        assertThatThrownBy(() -> BinaryEntropy.h(-0.1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BinaryEntropy.h(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
