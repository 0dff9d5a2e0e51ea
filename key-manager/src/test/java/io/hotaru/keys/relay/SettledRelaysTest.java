package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SettledRelaysTest {
    @Test
    void theOldestSettledIsForgottenFirst() {
        SettledRelays s = new SettledRelays(2);
        s.commit(1);
        s.abort(2);
        s.commit(3);

        assertThat(s.size()).isEqualTo(2);
        assertThat(s.isSettled(1)).isFalse();
        assertThat(s.isAborted(2)).isTrue();
        assertThat(s.isCommitted(3)).isTrue();
    }

    @Test
    void aCommitIsNeverUndoneAndEachOutcomeIsNewOnce() {
        SettledRelays s = new SettledRelays(4);
        assertThat(s.commit(7)).isTrue();
        assertThat(s.commit(7)).isFalse();
        assertThat(s.abort(7)).as("already committed").isFalse();
        assertThat(s.isCommitted(7)).isTrue();
        assertThat(s.isAborted(7)).isFalse();

        assertThat(s.abort(8)).isTrue();
        assertThat(s.abort(8)).isFalse();
    }

    /**
     * Against a map that forgets its eldest entry, over many relays: IDs drawn from a small range so
     * that they recur (remembered, then forgotten, then settled again), and clustered (consecutive
     * IDs), so that the index's probe runs grow and shrink as the oldest are forgotten.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 7, 64, 1000})
    @Timeout(60) // an index that fills up would probe for ever
    void remembersWhatAMapForgettingItsEldestRemembers(int capacity) {
        SettledRelays s = new SettledRelays(capacity, 31L * capacity);
        Map<Long, Boolean> model = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
                return size() > capacity;
            }
        };
        SplittableRandom random = new SplittableRandom(capacity);
        long range = 3L * capacity + 5;
        for (int i = 0; i < 200_000; i++) {
            long id = random.nextInt(4) == 0 ? random.nextLong() : random.nextLong(range) - range / 2;
            switch (random.nextInt(3)) {
                case 0 -> assertThat(s.commit(id)).isEqualTo(!Boolean.TRUE.equals(model.put(id, Boolean.TRUE)));
                case 1 -> assertThat(s.abort(id)).isEqualTo(model.putIfAbsent(id, Boolean.FALSE) == null);
                default -> {
                    assertThat(s.isCommitted(id)).isEqualTo(Boolean.TRUE.equals(model.get(id)));
                    assertThat(s.isAborted(id)).isEqualTo(Boolean.FALSE.equals(model.get(id)));
                }
            }
            assertThat(s.size()).isEqualTo(model.size());
        }
        for (long id = -range; id <= range; id++) {
            assertThat(s.isSettled(id)).as("relay %d", id).isEqualTo(model.containsKey(id));
        }
        model.forEach((id, c) -> assertThat(s.isCommitted(id)).isEqualTo(c));
    }

    @Test
    void aNodeRemembersAtLeastOneAndAtMost2To28() {
        assertThatThrownBy(() -> new SettledRelays(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SettledRelays((1 << 28) + 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRelayIdOfAJournalLineIsReadWithoutTheRest() {
        assertThat(RelayJournal.relayIdOf("COMMIT 42 - - -")).hasValue(42);
        assertThat(RelayJournal.relayIdOf("PAD 9223372036854775807 A-B x OUT")).hasValue(Long.MAX_VALUE);
        assertThat(RelayJournal.relayIdOf("COMMIT x - - -")).isEmpty();
        assertThat(RelayJournal.relayIdOf("COMMIT")).isEmpty();
        assertThat(RelayJournal.relayIdOf("COMMIT 42")).isEmpty();
    }
}
