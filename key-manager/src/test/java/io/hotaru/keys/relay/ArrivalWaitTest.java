package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lease waiting for units looks at the store once, then again only when a block of its link is
 * stored or its wait ends.
 */
class ArrivalWaitTest {
    private static final String LINK = "A-B";
    private static final String NOT_YET = "not yet";

    @TempDir
    Path dir;

    private KeyStore store;
    private final List<Boolean> looks = new ArrayList<>();

    @BeforeEach
    void open() {
        byte[] master = new byte[MasterKey.LENGTH];
        Arrays.fill(master, (byte) 7);
        store = KeyStore.open(dir.resolve("node.db"), MasterKey.of(master));
    }

    @AfterEach
    void close() {
        store.close();
    }

    private void storeBlock(String link) {
        store.ingest(link, 1, new byte[4 * KeyStore.KEY_BYTES]);
    }

    /** Waits as a lease does when a relay waits {@code leaseWait} for a lease; refused at the last look. */
    private String refusedAtTheLastLook(Duration leaseWait) {
        return new ArrivalWait(store, leaseWait)
                .look(
                        LINK,
                        lastTry -> {
                            looks.add(lastTry);
                            return lastTry ? "refused" : NOT_YET;
                        },
                        NOT_YET);
    }

    @Test
    void withNoBlockStoredItLooksTwiceTheSecondTheLast() {
        assertThat(refusedAtTheLastLook(Duration.ofMillis(200))).isEqualTo("refused"); // waits 100 ms
        assertThat(looks).containsExactly(false, true);
    }

    @Test
    void aBlockOfItsLinkStoredWhileItWaitsMakesItLookAgainBeforeItsWaitEnds() throws Exception {
        Thread distiller = new Thread(() -> {
            try {
                while (store.waitingForBlocks() == 0) {
                    Thread.sleep(1);
                }
            } catch (InterruptedException e) {
                return;
            }
            storeBlock("C-D"); // another link's block does not wake it
            storeBlock(LINK);
        });
        String answer = new ArrivalWait(store, Duration.ofMinutes(1))
                .look(
                        LINK,
                        lastTry -> { // waits at most 1 s
                            looks.add(lastTry);
                            if (looks.size() == 1) {
                                distiller.start();
                            }
                            return store.availableCount(LINK) > 0 ? "taken" : NOT_YET;
                        },
                        NOT_YET);
        distiller.join();

        assertThat(answer).isEqualTo("taken");
        assertThat(looks)
                .as("one look before the block, one after it, none on a timer")
                .containsExactly(false, false);
    }

    @Test
    void aBlockStoredDuringTheFirstLookIsNotMissed() {
        String answer = new ArrivalWait(store, Duration.ofMinutes(1))
                .look(
                        LINK,
                        lastTry -> {
                            looks.add(lastTry);
                            if (looks.size() == 1) {
                                storeBlock(LINK); // after the count was read and before the wait begins
                                return NOT_YET;
                            }
                            return "taken";
                        },
                        NOT_YET);

        assertThat(answer).isEqualTo("taken");
        assertThat(looks).containsExactly(false, false);
    }

    @Test
    void anInterruptedWaitMakesTheNextLookTheLast() {
        Thread.currentThread().interrupt();
        try {
            assertThat(refusedAtTheLastLook(Duration.ofMinutes(1))).isEqualTo("refused");
        } finally {
            assertThat(Thread.interrupted())
                    .as("the interrupt is kept for the caller")
                    .isTrue();
        }
        assertThat(looks).containsExactly(false, true);
    }
}
