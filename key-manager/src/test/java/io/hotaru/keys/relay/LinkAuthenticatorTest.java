package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.distill.auth.AuthenticationException.Code;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.store.AuthKeyStore;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.WordUseChecker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relay link's tags over durable pools, one end restarted on the same store file: the hellos
 * agree the positions, frames verify, no word is used twice at either end, and a frame whose
 * position goes back (a replay from an earlier connection, or within one) is refused.
 */
class LinkAuthenticatorTest {
    private static final String POOL = "relay/A-B";

    @TempDir
    Path dir;

    private final Supplier<byte[]> bootstrap = () -> {
        byte[] s = new byte[16 * 512];
        new Random(5).nextBytes(s);
        return s;
    };

    private KeyStore store(String node) {
        byte[] master = new byte[MasterKey.LENGTH];
        Arrays.fill(master, (byte) node.charAt(0));
        return KeyStore.open(dir.resolve(node + ".db"), MasterKey.of(master));
    }

    /** One connection: both authenticators, hellos exchanged. */
    private static LinkAuthenticator[] connect(
            io.hotaru.keys.distill.auth.AuthKeySource a, io.hotaru.keys.distill.auth.AuthKeySource b) {
        LinkAuthenticator atA = new LinkAuthenticator(a, Direction.ALICE_TO_BOB);
        LinkAuthenticator atB = new LinkAuthenticator(b, Direction.BOB_TO_ALICE);
        List<byte[]> toB = new ArrayList<>();
        List<byte[]> toA = new ArrayList<>();
        atA.sendHello(toB::add);
        atB.sendHello(toA::add);
        assertThat(atB.open(toB.get(0))).isNull();
        assertThat(atA.open(toA.get(0))).isNull();
        return new LinkAuthenticator[] {atA, atB};
    }

    private static byte[] seal(LinkAuthenticator from, String text) {
        List<byte[]> out = new ArrayList<>();
        from.sealAndSend(text.getBytes(StandardCharsets.US_ASCII), out::add);
        return out.get(0);
    }

    private static void exchange(LinkAuthenticator[] ends, int frames) {
        for (int i = 0; i < frames; i++) {
            assertThat(ends[1].open(seal(ends[0], "request " + i))).asString().isEqualTo("request " + i);
            assertThat(ends[0].open(seal(ends[1], "reply " + i))).asString().isEqualTo("reply " + i);
        }
    }

    @Test
    void framesVerifyAfterOneEndRestartedAndNoWordIsUsedTwice() {
        WordUseChecker atA = new WordUseChecker();
        WordUseChecker atB = new WordUseChecker();
        WordUseChecker before = new WordUseChecker();
        WordUseChecker after = new WordUseChecker();
        try (KeyStore a = store("A");
                AuthKeyPool poolA = new AuthKeyStore(a).open(POOL, bootstrap, 8)) {
            KeyStore b = store("B");
            AuthKeyPool poolB = new AuthKeyStore(b).open(POOL, bootstrap, 8);
            LinkAuthenticator[] first = connect(before.wrap(atA.wrap(poolA)), before.wrap(atB.wrap(poolB)));
            exchange(first, 11);
            seal(first[0], "lost with B's process"); // sealed and sent, never verified
            b.close(); // B crashes in the middle of its reserved batches
            try (KeyStore bAgain = store("B");
                    AuthKeyPool restored = new AuthKeyStore(bAgain).open(POOL, () -> {
                        throw new AssertionError("bootstrap read again");
                    })) {
                assertThat(restored.position(Direction.BOB_TO_ALICE))
                        .as("B goes on after every word it may have used")
                        .isGreaterThan(poolA.position(Direction.BOB_TO_ALICE));
                LinkAuthenticator[] second = connect(after.wrap(atA.wrap(poolA)), after.wrap(atB.wrap(restored)));
                exchange(second, 30);
            }
        }
        assertThat(atA.violations()).isEmpty();
        assertThat(atB.violations()).isEmpty();
        for (Direction d : Direction.values()) {
            assertThat(after.lowest(d)).as("%s after the restart", d).isGreaterThan(before.highest(d));
        }
    }

    /** The last words before the end an end may draw are kept for the frames that refill the pool. */
    @Test
    void ordinaryFramesLeaveTheLastWordsToTheRefills() {
        try (AuthKeyPool poolA = AuthKeyPool.bootstrap(new byte[16 * 100]);
                AuthKeyPool poolB = AuthKeyPool.bootstrap(new byte[16 * 100])) {
            LinkAuthenticator atA = new LinkAuthenticator(poolA, Direction.ALICE_TO_BOB, poolA::usableEnd);
            LinkAuthenticator atB = new LinkAuthenticator(poolB, Direction.BOB_TO_ALICE, poolB::usableEnd);
            List<byte[]> toB = new ArrayList<>();
            List<byte[]> toA = new ArrayList<>();
            atA.sendHello(toB::add);
            atB.sendHello(toA::add);
            atB.open(toB.remove(0));
            atA.open(toA.remove(0));
            int sent = 0;
            while (atA.sealAndSend(new byte[] {1}, toB::add, false)) {
                sent++;
            }
            assertThat(sent)
                    .as("hash key, then a word a frame, down to the floor")
                    .isEqualTo(100 - 1 - 64);
            assertThat(poolA.position(Direction.ALICE_TO_BOB)).isEqualTo(100 - LinkAuthenticator.FLOOR_WORDS);
            assertThat(atA.sealAndSend(new byte[] {2}, toB::add, true))
                    .as("a refill's frame")
                    .isTrue();
            assertThat(atA.atFloor()).isTrue();
            assertThat(atB.peerAtFloor(poolB.usableEnd(Direction.ALICE_TO_BOB))).isFalse();
            for (byte[] frame : toB) {
                assertThat(atB.open(frame)).isNotNull();
            }
            assertThat(atB.peerAtFloor(poolB.usableEnd(Direction.ALICE_TO_BOB)))
                    .as("B tells from the words it checked that A is at its floor")
                    .isTrue();
            assertThat(atB.atFloor()).isFalse();
        }
    }

    @Test
    void aFrameWhosePositionGoesBackIsRefused() {
        try (KeyStore a = store("A");
                KeyStore b = store("B");
                AuthKeyPool poolA = new AuthKeyStore(a).open(POOL, bootstrap, 8);
                AuthKeyPool poolB = new AuthKeyStore(b).open(POOL, bootstrap, 8)) {
            LinkAuthenticator[] first = connect(poolA, poolB);
            byte[] old = seal(first[0], "first");
            first[1].open(old);
            exchange(first, 3);

            // within the connection: the same frame again
            assertThatThrownBy(() -> first[1].open(old))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.OUT_OF_SEQUENCE));
            assertThat(first[1].isClosed()).isTrue();

            // on a new connection: the old first frame, at words the receiver has passed
            LinkAuthenticator[] second = connect(poolA, poolB);
            long mark = poolB.position(Direction.ALICE_TO_BOB);
            assertThatThrownBy(() -> second[1].open(old))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.OUT_OF_SEQUENCE))
                    .hasMessageContaining("before this end's mark");
            assertThat(poolB.position(Direction.ALICE_TO_BOB))
                    .as("nothing spent on it")
                    .isEqualTo(mark);

            // a third connection still works, from further on
            LinkAuthenticator[] third = connect(poolA, poolB);
            exchange(third, 2);
        }
    }

    @Test
    void aFrameBeforeTheHelloOrASecondHelloIsRefused() {
        try (AuthKeyPool poolA = AuthKeyPool.bootstrap(bootstrap.get());
                AuthKeyPool poolB = AuthKeyPool.bootstrap(bootstrap.get())) {
            LinkAuthenticator[] ends = connect(poolA, poolB);
            LinkAuthenticator fresh = new LinkAuthenticator(poolB, Direction.BOB_TO_ALICE);
            assertThatThrownBy(() -> fresh.open(seal(ends[0], "early")))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.SYNC_REFUSED));
            List<byte[]> hello = new ArrayList<>();
            ends[0].sendHello(hello::add);
            assertThatThrownBy(() -> ends[1].open(hello.get(0)))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.MALFORMED));
        }
    }

    @Test
    void aHelloThatWouldBurnTooMuchKeyIsRefused() {
        try (AuthKeyPool poolA = AuthKeyPool.bootstrap(bootstrap.get())) {
            LinkAuthenticator end = new LinkAuthenticator(poolA, Direction.ALICE_TO_BOB);
            byte[] hello = new byte[LinkAuthenticator.HEADER_BYTES + 16];
            Arrays.fill(hello, 0, 8, (byte) 0xFF);
            hello[LinkAuthenticator.HEADER_BYTES + 8 + 4] = 1; // B→A at word 2³¹
            assertThatThrownBy(() -> end.open(hello))
                    .isInstanceOfSatisfying(
                            AuthenticationException.class,
                            e -> assertThat(e.code()).isEqualTo(Code.SYNC_REFUSED));
            assertThat(poolA.position(Direction.BOB_TO_ALICE)).isZero();
        }
    }
}
