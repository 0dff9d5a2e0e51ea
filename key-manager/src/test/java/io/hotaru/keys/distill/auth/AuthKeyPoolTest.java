package io.hotaru.keys.distill.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class AuthKeyPoolTest {
    @Test
    void splitsEachDepositWordByWordBetweenTheDirections() {
        byte[] secret = HexFormat.of()
                .parseHex("00000000000000a1" + "00000000000000b1" + "00000000000000a2" + "00000000000000b2");
        try (AuthKeyPool pool = AuthKeyPool.bootstrap(secret)) {
            pool.deposit(HexFormat.of().parseHex("00000000000000a3" + "00000000000000b3"));
            assertThat(pool.availableBits(Direction.ALICE_TO_BOB)).isEqualTo(192);
            assertThat(pool.nextWord(Direction.BOB_TO_ALICE)).isEqualTo(0xb1);
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(0xa1);
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(0xa2);
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(0xa3);
            assertThat(pool.consumedBits(Direction.ALICE_TO_BOB)).isEqualTo(192);
            assertThat(pool.consumedBits(Direction.BOB_TO_ALICE)).isEqualTo(64);
            assertThat(pool.availableBits(Direction.BOB_TO_ALICE)).isEqualTo(128);
            assertThatThrownBy(() -> pool.nextWord(Direction.ALICE_TO_BOB))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(AuthenticationException.Code.KEY_EXHAUSTED));
            assertThat(pool.toString()).doesNotContain("b2");
        }
    }

    @Test
    void skipsForwardButNeverBack() {
        try (AuthKeyPool pool = AuthKeyPool.bootstrap(new byte[16 * 10])) {
            pool.nextWord(Direction.ALICE_TO_BOB);
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(1);
            pool.skipTo(Direction.ALICE_TO_BOB, 4);
            pool.skipTo(Direction.ALICE_TO_BOB, 2);
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(4);
            assertThat(pool.position(Direction.BOB_TO_ALICE)).isZero();
            assertThatThrownBy(() -> pool.skipTo(Direction.ALICE_TO_BOB, 11))
                    .isInstanceOf(AuthenticationException.class);
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(4);
        }
    }

    @Test
    void refusesDepositsThatWouldUnbalanceTheDirections() {
        assertThatThrownBy(() -> AuthKeyPool.bootstrap(new byte[24])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closeEmptiesThePool() {
        AuthKeyPool pool = AuthKeyPool.bootstrap(new byte[64]);
        pool.close();
        assertThat(pool.availableBits(Direction.BOB_TO_ALICE)).isZero();
        assertThatThrownBy(() -> pool.nextWord(Direction.BOB_TO_ALICE)).isInstanceOf(AuthenticationException.class);
    }
}
