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

/** A lease waiting for units looks at the store once, then again only when a block is stored or its wait ends. */
class ArrivalWaitTest {
    private static final String NOT_YET = "not yet";

    @TempDir
    Path dir;

    private KeyStore store;

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

    private void storeBlock(String link, long block) {
        store.ingest(link, block, new byte[4 * KeyStore.KEY_BYTES]);
    }

    @Test
    void withNoBlockStoredItLooksTwiceTheSecondTheLast() {
        List<Boolean> looks = new ArrayList<>();
        // a lease waits half of a relay's wait for a lease: 100 ms here
        String answer = new ArrivalWait(store, Duration.ofMillis(200))
                .look(
                        lastTry -> {
                            looks.add(lastTry);
                            return lastTry ? "refused" : NOT_YET;
                        },
                        NOT_YET);

        assertThat(answer).isEqualTo("refused");
        assertThat(looks).containsExactly(false, true);
    }

    @Test
    void aBlockStoredWhileItWaitsMakesItLookAgainBeforeItsWaitEnds() throws Exception {
        List<Boolean> looks = new ArrayList<>();
        ArrivalWait wait = new ArrivalWait(store, Duration.ofMinutes(1)); // waits at most a second
        Thread distiller = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            storeBlock("other-link", 1); // any block: the look tells whether it was the one awaited
            storeBlock("A-B", 1);
        });
        String answer;
        distiller.start();
        try {
            answer = wait.look(
                    lastTry -> {
                        looks.add(lastTry);
                        return store.availableCount("A-B") > 0 ? "taken" : NOT_YET;
                    },
                    NOT_YET);
        } finally {
            distiller.join();
        }

        assertThat(answer).isEqualTo("taken");
        assertThat(looks)
                .as("one look per block stored, none on a timer")
                .hasSizeBetween(2, 3)
                .doesNotContain(true);
    }

    @Test
    void aBlockStoredDuringTheFirstLookIsNotMissed() {
        List<Boolean> looks = new ArrayList<>();
        String answer = new ArrivalWait(store, Duration.ofMinutes(1))
                .look(
                        lastTry -> {
                            looks.add(lastTry);
                            if (looks.size() == 1) {
                                storeBlock("A-B", 1); // after the count was read and before the wait begins
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
        List<Boolean> looks = new ArrayList<>();
        Thread.currentThread().interrupt();
        try {
            String answer = new ArrivalWait(store, Duration.ofMinutes(1))
                    .look(
                            lastTry -> {
                                looks.add(lastTry);
                                return lastTry ? "refused" : NOT_YET;
                            },
                            NOT_YET);
            assertThat(answer).isEqualTo("refused");
        } finally {
            assertThat(Thread.interrupted())
                    .as("the interrupt is kept for the caller")
                    .isTrue();
        }
        assertThat(looks).containsExactly(false, true);
    }
}
