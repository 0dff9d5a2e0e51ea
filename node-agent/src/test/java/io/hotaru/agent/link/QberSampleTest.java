package io.hotaru.agent.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.BlockReport;
import io.hotaru.keys.distill.estimate.FiniteKeyEstimate;
import io.hotaru.keys.distill.estimate.IntensityCounts;
import java.util.List;
import org.junit.jupiter.api.Test;

class QberSampleTest {

    private static BlockReport report(long leakedEcBits, int correctedErrors) {
        List<IntensityCounts> levels = List.of(
                new IntensityCounts(1e6, 4000, 2000, 600, 20),
                new IntensityCounts(1e6, 1500, 750, 200, 9),
                new IntensityCounts(1e6, 10, 5, 2, 1));
        return new BlockReport(
                17,
                5510,
                2755,
                levels,
                802,
                1953,
                0.033,
                correctedErrors,
                leakedEcBits,
                3,
                50,
                0,
                FiniteKeyEstimate.NONE,
                0,
                Double.NaN,
                0L);
    }

    @Test
    void sumsTheZErrorsOfAllIntensitiesAndTakesTheXErrorsCascadeCorrected() {
        QberSample s = QberSample.of(report(900, 61));
        assertThat(s.blockId()).isEqualTo(17);
        assertThat(s.zBits()).isEqualTo(802);
        assertThat(s.zErrors()).isEqualTo(30);
        assertThat(s.xBits()).isEqualTo(1953);
        assertThat(s.xErrors()).isEqualTo(61);
        assertThat(s.hasBothBases()).isTrue();
        assertThat(s.errorRate()).isEqualTo(91.0 / 2755);
    }

    @Test
    void aBlockStoppedBeforeErrorCorrectionCountsOnlyZ() {
        QberSample s = QberSample.of(report(0, 0));
        assertThat(s.xBits()).isZero();
        assertThat(s.hasBothBases()).isFalse();
        assertThat(s.errorRate()).isEqualTo(30.0 / 802);
        assertThat(s.xErrorRate()).isNaN();
    }

    @Test
    void refusesInconsistentCounts() {
        assertThatThrownBy(() -> new QberSample(1, 10, 11, 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
