package io.hotaru.keys.distill.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class WegmanCarterTest {
    private static final long KEY = 0x0F1E2D3C4B5A6978L;
    private static final byte[] CONFIRM_FRAME = HexFormat.of().parseHex("010a000000080102030405060708");

    /**
     * Frozen from the independent Python reference (per message: direction byte, sequence u64 BE,
     * frame length u32 BE, frame).
     */
    @Test
    void knownTags() {
        try (PolynomialHash hash = new PolynomialHash(KEY)) {
            assertThat(WegmanCarter.tag(hash, Direction.ALICE_TO_BOB, 0, CONFIRM_FRAME, 0x1122334455667788L))
                    .isEqualTo(0x86c4b61510af3994L);
            assertThat(WegmanCarter.tag(hash, Direction.BOB_TO_ALICE, 41, CONFIRM_FRAME, 0x1122334455667788L))
                    .isEqualTo(0xe5094b469635f6aaL);
        }
    }

    @Test
    void tagIsTheHashOfHeaderAndFramePlusThePad() {
        byte[] header = HexFormat.of().parseHex("010000000000000029" + "0000000e");
        try (PolynomialHash hash = new PolynomialHash(KEY)) {
            hash.update(header);
            hash.update(CONFIRM_FRAME);
            long h = hash.doFinal();
            assertThat(WegmanCarter.tag(hash, Direction.BOB_TO_ALICE, 41, CONFIRM_FRAME, 0))
                    .isEqualTo(h);
            assertThat(WegmanCarter.tag(hash, Direction.BOB_TO_ALICE, 41, CONFIRM_FRAME, -1L))
                    .isEqualTo(~h);
        }
    }

    @Test
    void aRunOfMessagesHasOneTag() {
        try (PolynomialHash hash = new PolynomialHash(KEY)) {
            WegmanCarter.absorb(hash, Direction.ALICE_TO_BOB, 5, CONFIRM_FRAME);
            WegmanCarter.absorb(hash, Direction.ALICE_TO_BOB, 6, new byte[] {1});
            assertThat(WegmanCarter.finish(hash, 0x1122334455667788L)).isEqualTo(0xb824a9b9e4b5977cL);
        }
    }

    @Test
    void closedHashRefusesWork() {
        PolynomialHash hash = new PolynomialHash(KEY);
        hash.close();
        assertThat(hash.timesKey(-1L)).isZero();
        assertThatThrownBy(() -> hash.update(new byte[1])).isInstanceOf(IllegalStateException.class);
    }
}
