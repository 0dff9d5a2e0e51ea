package io.hotaru.keys.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

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

    @Test
    void aNodeRemembersAtLeastOne() {
        assertThatThrownBy(() -> new SettledRelays(0)).isInstanceOf(IllegalArgumentException.class);
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
