package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.auth.AuthConfig;
import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthKeySource;
import io.hotaru.keys.distill.auth.AuthenticatedTransport;
import io.hotaru.keys.distill.auth.AuthenticationException;
import io.hotaru.keys.distill.auth.Direction;
import io.hotaru.keys.distill.protocol.DistillMessage.Confirm;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distillation channel of one link over durable pools, one end (Bob) restarted on the same
 * store file after it crashed in the middle of a block: the ends agree their positions again, tags
 * verify, and no authentication-key word is used twice by either end, or by one end after the other
 * has used it. An end whose store is an old copy, behind the peer, refuses to go on.
 */
class AuthenticatedRestartTest {
    private static final String LINK = "A-B";

    @TempDir
    Path dir;

    private final Supplier<byte[]> bootstrap = () -> {
        byte[] s = new byte[16 * 256];
        new Random(9).nextBytes(s);
        return s;
    };

    private static final Supplier<byte[]> NOT_READ = () -> {
        throw new AssertionError("the bootstrap secret was read although the link has state");
    };

    private KeyStore store(String end) {
        return KeyStore.open(dir.resolve(end + ".db"), MasterKey.of(MasterKeyTest.filled((byte) end.charAt(0))));
    }

    /** Both ends of a new connection, positions agreed (AuthSync) as on every connection. */
    private static AuthenticatedTransport[] connect(AuthKeySource alice, AuthKeySource bob) throws Exception {
        InMemoryTransport.Pair wires = InMemoryTransport.pair();
        AuthenticatedTransport a = AuthenticatedTransport.alice(wires.alice(), alice, AuthConfig.defaults());
        AuthenticatedTransport b = AuthenticatedTransport.bob(wires.bob(), bob, AuthConfig.defaults());
        CompletableFuture<Long> bobSync = CompletableFuture.supplyAsync(() -> b.synchronize(1 << 16));
        a.synchronize(1 << 16);
        bobSync.get();
        return new AuthenticatedTransport[] {a, b};
    }

    private static void blocks(AuthenticatedTransport[] ends, long from, long to) {
        for (long block = from; block < to; block++) {
            ends[0].send(new Confirm(block));
            assertThat(ends[1].receive()).isEqualTo(new Confirm(block));
            ends[1].send(new Confirm(block));
            assertThat(ends[0].receive()).isEqualTo(new Confirm(block));
        }
    }

    @Test
    void tagsVerifyAfterOneEndCrashedMidBlockAndNoWordIsUsedTwice() throws Exception {
        WordUseChecker alice = new WordUseChecker();
        WordUseChecker bob = new WordUseChecker();
        WordUseChecker before = new WordUseChecker(); // both ends, before the crash
        WordUseChecker after = new WordUseChecker(); // both ends, after it
        try (KeyStore aliceStore = store("alice");
                AuthKeyPool alicePool = new AuthKeyStore(aliceStore).open(LINK, bootstrap, 16)) {
            KeyStore bobStore = store("bob");
            AuthKeyPool bobPool = new AuthKeyStore(bobStore).open(LINK, bootstrap, 16);
            AuthenticatedTransport[] ends = connect(before.wrap(alice.wrap(alicePool)), before.wrap(bob.wrap(bobPool)));
            blocks(ends, 1, 4);
            // block 4: Alice's second message and Bob's answer are lost with Bob's process
            ends[0].send(new Confirm(4));
            ends[0].send(new Confirm(4));
            assertThat(ends[1].receive()).isEqualTo(new Confirm(4));
            ends[1].send(new Confirm(4));
            bobStore.close(); // the crash: Bob's memory is gone, his store keeps what it made durable
            ends[0].close();

            try (KeyStore bobAgain = store("bob");
                    AuthKeyPool restored = new AuthKeyStore(bobAgain).open(LINK, NOT_READ, 16)) {
                AuthenticatedTransport[] again =
                        connect(after.wrap(alice.wrap(alicePool)), after.wrap(bob.wrap(restored)));
                blocks(again, 5, 40);
                again[0].close();
                again[1].close();
            }
        }
        assertThat(alice.violations()).isEmpty();
        assertThat(bob.violations()).isEmpty();
        for (Direction d : Direction.values()) {
            assertThat(after.lowest(d))
                    .as("%s after the restart starts after every word either end used before", d)
                    .isGreaterThan(before.highest(d));
        }
        assertThat(after.count(Direction.ALICE_TO_BOB)).isGreaterThan(35);
    }

    @Test
    void anEndWhoseStoreIsBehindThePeerRefusesToGoOn() throws Exception {
        try (KeyStore aliceStore = store("alice");
                AuthKeyPool alicePool = new AuthKeyStore(aliceStore).open(LINK, bootstrap, 16)) {
            try (KeyStore bobStore = store("bob")) {
                new AuthKeyStore(bobStore).open(LINK, bootstrap, 16).close();
            }
            Files.copy(dir.resolve("bob.db"), dir.resolve("bob-old.db"));
            byte[] deposit = new byte[16 * 1000];
            new Random(10).nextBytes(deposit);
            try (KeyStore bobStore = store("bob");
                    AuthKeyPool bobPool = new AuthKeyStore(bobStore).open(LINK, NOT_READ, 16)) {
                alicePool.deposit(deposit.clone());
                bobPool.deposit(deposit.clone());
                AuthenticatedTransport[] ends = connect(alicePool, bobPool);
                blocks(ends, 1, 200); // beyond the bootstrap secret, into the deposit
                ends[0].close();
                ends[1].close();
            }
            Files.move(
                    dir.resolve("bob-old.db"),
                    dir.resolve("bob.db"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (KeyStore oldBob = store("bob");
                    AuthKeyPool stale = new AuthKeyStore(oldBob).open(LINK, NOT_READ, 16)) {
                assertThatThrownBy(() -> connect(alicePool, stale))
                        .rootCause()
                        .isInstanceOf(AuthenticationException.class)
                        .hasMessageContaining("behind the peer");
            }
        }
    }
}
