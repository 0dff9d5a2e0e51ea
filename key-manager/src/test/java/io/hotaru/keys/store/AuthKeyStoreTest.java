package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.distill.auth.AuthKeyPool;
import io.hotaru.keys.distill.auth.AuthKeySource;
import io.hotaru.keys.distill.auth.Direction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authentication-key pools kept in the key store file: the bootstrap secret read once, words never
 * handed out twice across restarts at any point of a batch, deposits kept encrypted and erased once
 * used, unreadable state refused.
 */
class AuthKeyStoreTest {
    private static final String POOL = "A-B";

    @TempDir
    Path dir;

    private KeyStore openStore() {
        return KeyStore.open(dir.resolve("kme.db"), MasterKey.of(MasterKeyTest.filled((byte) 7)));
    }

    private static Supplier<byte[]> secret(int bytes, long seed) {
        return () -> {
            byte[] s = new byte[bytes];
            new Random(seed).nextBytes(s);
            return s;
        };
    }

    private static final Supplier<byte[]> NOT_READ = () -> {
        throw new AssertionError("the bootstrap secret was read although the link has state");
    };

    @Test
    void theBootstrapSecretIsReadOnlyWhileTheLinkHasNoState() {
        long first;
        try (KeyStore store = openStore()) {
            AuthKeyStore auth = new AuthKeyStore(store);
            assertThat(auth.hasState(POOL)).isFalse();
            try (AuthKeyPool pool = auth.open(POOL, secret(4096, 1), 8)) {
                first = pool.nextWord(Direction.ALICE_TO_BOB);
            }
            assertThat(auth.hasState(POOL)).isTrue();
        }
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 8)) {
            assertThat(pool.position(Direction.ALICE_TO_BOB))
                    .as("the rest of the batch is burned")
                    .isEqualTo(8);
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isNotEqualTo(first);
            assertThat(pool.position(Direction.BOB_TO_ALICE)).isZero();
        }
    }

    @Test
    void aBootstrapSecretTheStoreTookBeforeIsRefusedForAnyPoolEvenAfterReopening() {
        try (KeyStore store = openStore()) {
            new AuthKeyStore(store).open(POOL, secret(4096, 7), 8).close();
        }
        try (KeyStore store = openStore()) {
            AuthKeyStore auth = new AuthKeyStore(store);
            // re-keying the link under a new pool name with its old secret file
            assertThatThrownBy(() -> auth.open("link-2", secret(4096, 7), 8))
                    .isInstanceOfSatisfying(KeyManagerException.class, e -> {
                        assertThat(e.code()).isEqualTo(KeyManagerException.Code.CONFIG);
                        assertThat(e.getMessage())
                                .contains("link-2")
                                .contains("is the one pool " + POOL + " took on")
                                .contains("give both ends of the link a new one");
                    });
            assertThat(auth.hasState("link-2"))
                    .as("nothing of the refused pool is stored")
                    .isFalse();
            try (AuthKeyPool fresh = auth.open("link-2", secret(4096, 8), 8)) {
                assertThat(fresh.position(Direction.ALICE_TO_BOB)).isZero();
            }
        }
    }

    /**
     * A link end interrupted while its deposit is being written (its link end is being closed)
     * must find the deposit in memory exactly as the store committed it. Found by the link-fault
     * campaign: the interrupted deposit was committed, zeroed, and missing from the pool in memory,
     * so the link's next deposit collided with it and the link never distilled again.
     */
    @Test
    void aDepositByAnInterruptedThreadIsKeptInMemoryAndInTheStoreAlike() {
        byte[] deposit = secret(64, 3).get();
        long firstWord;
        try (KeyStore store = openStore()) {
            AuthKeyPool pool = new AuthKeyStore(store).open(POOL, secret(4096, 1), 8);
            Thread.currentThread().interrupt();
            try {
                pool.deposit(deposit);
            } finally {
                assertThat(Thread.interrupted()).as("the interrupt is kept").isTrue();
            }
            firstWord = 4096 / 16;
            assertThat(pool.depositedWords()).isEqualTo(firstWord + 4);
            pool.deposit(secret(32, 4).get());
            assertThat(pool.depositedWords()).isEqualTo(firstWord + 6);
            pool.close();
        }
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 8)) {
            assertThat(pool.depositedWords()).isEqualTo(firstWord + 6);
            pool.skipTo(Direction.ALICE_TO_BOB, firstWord);
            byte[] expected = deposit.clone();
            long word = 0;
            for (int b = 0; b < 8; b++) {
                word = (word << 8) | (expected[b] & 0xFF);
            }
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB))
                    .as("the deposit's first word, as deposited (not zeroed)")
                    .isEqualTo(word);
        }
    }

    @Test
    void noWordIsHandedOutTwiceAcrossRestartsAtRandomPointsOfABatch() {
        Random random = new Random(42);
        WordUseChecker checker = new WordUseChecker();
        int restarts = 30;
        for (int life = 0; life < restarts; life++) {
            try (KeyStore store = openStore()) {
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, life == 0 ? secret(1 << 16, 2) : NOT_READ, 16);
                AuthKeySource keys = checker.wrap(pool);
                int words = random.nextInt(40);
                for (int i = 0; i < words; i++) {
                    keys.nextWord(random.nextBoolean() ? Direction.ALICE_TO_BOB : Direction.BOB_TO_ALICE);
                }
                if (random.nextInt(4) == 0) {
                    byte[] deposit = new byte[16 * (1 + random.nextInt(8))];
                    random.nextBytes(deposit);
                    pool.deposit(deposit);
                }
                // no pool.close(): the end stops as in a crash, with whatever its store holds
            }
        }
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.count(Direction.ALICE_TO_BOB) + checker.count(Direction.BOB_TO_ALICE))
                .isGreaterThan(restarts * 10L);
    }

    @Test
    void depositsSurviveARestartAndUsedOnesAreErased() throws Exception {
        byte[] deposit = new byte[16 * 100];
        new Random(3).nextBytes(deposit);
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, secret(16 * 4, 3), 4)) {
            pool.deposit(deposit.clone());
            for (int i = 0; i < 10; i++) {
                pool.nextWord(Direction.ALICE_TO_BOB);
                pool.nextWord(Direction.BOB_TO_ALICE);
            }
        }
        assertThat(depositRows())
                .as("the bootstrap, used up in both directions, is erased")
                .isEqualTo(1);
        assertThat(indexOf(Files.readAllBytes(dir.resolve("kme.db")), java.util.Arrays.copyOfRange(deposit, 200, 232)))
                .as("deposits are stored encrypted")
                .isEqualTo(-1);
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 4)) {
            assertThat(pool.position(Direction.ALICE_TO_BOB)).isEqualTo(12);
            // word 12 of A→B: word 8 of the deposit's A→B half, its 16th 64-bit word
            assertThat(pool.nextWord(Direction.ALICE_TO_BOB)).isEqualTo(wordAt(deposit, 16));
            assertThat(pool.availableBits(Direction.BOB_TO_ALICE)).isEqualTo(64 * (104 - 12));
        }
    }

    /**
     * A held deposit (a relay refill the peer has not confirmed) stays held across a restart: it is
     * stored with its hold in one change, and released or withdrawn durably.
     */
    @Test
    void aHeldDepositStaysHeldAfterARestartUntilReleased() {
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, secret(4096, 1), 8)) {
            pool.depositHeld(secret(16 * 10, 2).get());
            pool.depositHeld(secret(16 * 6, 3).get());
            assertThat(pool.usableEnd()).isEqualTo(256);
        }
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 8)) {
            assertThat(pool.depositedWords()).isEqualTo(272);
            assertThat(pool.usableEnd())
                    .as("held from the first held deposit, after the restart")
                    .isEqualTo(256);
            assertThat(pool.withdrawTo(266)).isEqualTo(1);
            assertThat(pool.usableEnd()).isEqualTo(256);
        }
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 8)) {
            assertThat(pool.depositedWords()).isEqualTo(266);
            assertThat(pool.usableEnd()).isEqualTo(256);
            pool.releaseHeld();
        }
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 8)) {
            assertThat(pool.usableEnd()).as("released for good").isEqualTo(266);
            pool.depositHeld(secret(16 * 4, 4).get());
            assertThat(pool.withdrawTo(266)).isEqualTo(1);
        }
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 8)) {
            assertThat(pool.usableEnd())
                    .as("a withdrawn held deposit leaves nothing held")
                    .isEqualTo(266);
            pool.deposit(secret(16 * 4, 5).get());
            assertThat(pool.usableEnd()).isEqualTo(270);
        }
    }

    /**
     * Marks that reach a held deposit's start do not erase the deposit before it: withdrawn, the
     * held one leaves a pool that still says where the next deposit starts.
     */
    @Test
    void withdrawingAHeldDepositAfterTheMarksPassedEverythingBeforeItLeavesAPoolThatReopens() {
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, secret(256, 1), 8)) {
            for (Direction d : Direction.values()) {
                for (int i = 0; i < 8; i++) {
                    pool.nextWord(d);
                }
            }
            pool.depositHeld(secret(160, 2).get());
            for (Direction d : Direction.values()) {
                for (int i = 8; i < 16; i++) {
                    pool.nextWord(d); // reserves up to word 16, where the held words start
                }
                assertThat(pool.reservedMark(d)).isEqualTo(16);
            }
            assertThat(pool.withdrawTo(16)).isEqualTo(1);
        }
        try (KeyStore store = openStore();
                AuthKeyPool pool = new AuthKeyStore(store).open(POOL, NOT_READ, 8)) {
            assertThat(pool.depositedWords()).isEqualTo(16);
            assertThat(pool.usableEnd()).isEqualTo(16);
        }
    }

    @Test
    void aPoolIsOpenOnlyOnceAtATime() {
        try (KeyStore store = openStore()) {
            AuthKeyStore auth = new AuthKeyStore(store);
            AuthKeyPool pool = auth.open(POOL, secret(64, 4));
            assertThatThrownBy(() -> auth.open(POOL, NOT_READ)).hasMessageContaining("open already");
            pool.close();
            auth.open(POOL, NOT_READ).close();
        }
    }

    @Test
    void unreadableStateKeepsTheLinkDownWithAMessageSayingWhatToDo() throws Exception {
        try (KeyStore store = openStore()) {
            new AuthKeyStore(store).open(POOL, secret(64, 5)).close();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kme.db"));
                Statement st = c.createStatement()) {
            st.executeUpdate("UPDATE auth_key_deposit SET ciphertext = zeroblob(length(ciphertext))");
        }
        try (KeyStore store = openStore()) {
            AuthKeyStore auth = new AuthKeyStore(store);
            assertThatThrownBy(() -> auth.open(POOL, NOT_READ))
                    .isInstanceOfSatisfying(
                            KeyManagerException.class,
                            e -> assertThat(e.code()).isEqualTo(KeyManagerException.Code.CORRUPT_KEY))
                    .hasMessageContaining(POOL)
                    .hasMessageContaining("kme.db")
                    .hasMessageContaining("re-key the link");
        }
    }

    @Test
    void aBootstrapSecretOfPartUnitsIsRefusedAndLeavesNoState() {
        try (KeyStore store = openStore()) {
            AuthKeyStore auth = new AuthKeyStore(store);
            assertThatThrownBy(() -> auth.open(POOL, secret(24, 6))).hasMessageContaining("multiple of 16");
            assertThat(auth.hasState(POOL)).isFalse();
        }
    }

    private int depositRows() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("kme.db"));
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FROM auth_key_deposit")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long wordAt(byte[] key, int word) {
        long v = 0;
        for (int b = 0; b < 8; b++) {
            v = (v << 8) | (key[8 * word + b] & 0xFF);
        }
        return v;
    }
}
