package io.hotaru.reliability.figures;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.reliability.figures.KeyHistory.End;
import io.hotaru.reliability.figures.KeyHistory.Verdict;
import org.junit.jupiter.api.Test;

class KeyHistoryTest {
    private static final byte[] K1 = {1, 2, 3};
    private static final byte[] K2 = {4, 5, 6};

    @Test
    void aKeySeenOnceAtEachEndWithTheSameBytesIsClean() {
        KeyHistory history = new KeyHistory();
        history.observe(End.FIRST, "k1", K1);
        history.observe(End.SECOND, "k1", K1.clone());
        history.observe(End.FIRST, "k2", null);
        history.observe(End.SECOND, "k2", K2);

        assertThat(history.verdict()).isEqualTo(new Verdict(2, 0, 0, 0));
        assertThat(history.verdict().clean()).isTrue();
        assertThat(history.findings()).isEmpty();
    }

    @Test
    void aKeySeenAtOneEndOnlyIsLostUnlessInDoubt() {
        KeyHistory history = new KeyHistory();
        history.observe(End.FIRST, "k1", K1);
        history.observe(End.SECOND, "k2", K2);
        history.observe(End.FIRST, "k3", K1);
        history.inDoubt("k3");

        assertThat(history.verdict()).isEqualTo(new Verdict(3, 2, 0, 0));
        assertThat(history.findings())
                .containsExactlyInAnyOrder("key k1 seen only at the first end", "key k2 seen only at the second end");
    }

    @Test
    void aKeySeenTwiceAtOneEndOrAUnitDeliveredAndAvailableIsDuplicated() {
        KeyHistory history = new KeyHistory();
        history.observe(End.FIRST, "k1", K1);
        history.observe(End.SECOND, "k1", K1);
        history.observe(End.SECOND, "k1", K1);
        history.deliveredAndAvailable("u9");

        Verdict verdict = history.verdict();
        assertThat(verdict.duplicated()).isEqualTo(2);
        assertThat(verdict.lost()).isZero();
        assertThat(verdict.clean()).isFalse();
        assertThat(history.findings()).hasSize(2);
    }

    @Test
    void differentBytesAtTheTwoEndsDisagree() {
        KeyHistory history = new KeyHistory();
        history.observe(End.FIRST, "k1", K1);
        history.observe(End.SECOND, "k1", K2);

        assertThat(history.verdict()).isEqualTo(new Verdict(1, 0, 0, 1));
        assertThat(history.seen(End.SECOND, "k1")).isTrue();
        assertThat(history.seen(End.SECOND, "k2")).isFalse();
        assertThat(history.keys(End.FIRST)).containsExactly("k1");
    }
}
