package io.hotaru.keys.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class KeyIdsTest {
    @Test
    void isAVersion8RfcVariantUuid() {
        UUID id = KeyIds.derive("link-ab", 7, 3);
        assertThat(id.version()).isEqualTo(8);
        assertThat(id.variant()).isEqualTo(2);
    }

    @Test
    void frozenValueSoBothEndsAndFutureReleasesAgree() {
        // Any change here breaks key ID agreement with KMEs running an older release.
        assertThat(KeyIds.derive("link-ab", 7, 3)).isEqualTo(KeyIds.derive("link-ab", 7, 3));
        assertThat(KeyIds.derive("link-ab", 7, 3).toString()).isEqualTo(FROZEN_LINK_AB_7_3);
    }

    @Test
    void distinctInputsGiveDistinctIds() {
        Set<UUID> ids = new HashSet<>();
        for (String link : new String[] {"a", "ab", "b"}) {
            for (long block = 0; block < 20; block++) {
                for (int index = 0; index < 20; index++) {
                    ids.add(KeyIds.derive(link, block, index));
                }
            }
        }
        assertThat(ids).hasSize(3 * 20 * 20);
    }

    @Test
    void aRelayedKeyIdIsAVersion7UuidWhoseTimestampIsTheBlocksMillisecond() {
        long millis = 1_795_000_000_123L;
        long block = KeyIds.relayedBlock(millis, 5, 1);
        assertThat(block).isEqualTo(millis << 16 | 5 << 1 | 1);
        UUID id = KeyIds.deriveRelayed("A~E", block, 42, 2);
        assertThat(id.version()).isEqualTo(7);
        assertThat(id.variant()).isEqualTo(2);
        assertThat(id.getMostSignificantBits() >>> 16).isEqualTo(millis); // RFC 9562 unix_ts_ms
        assertThat(id.toString()).isEqualTo(FROZEN_RELAYED_A_E);
        assertThat(id).isNotEqualTo(KeyIds.derive("A~E", block, 2));
        // the same block sent with another relay's ID names another key
        assertThat(KeyIds.deriveRelayed("A~E", block, 43, 2)).isNotEqualTo(id);
    }

    @Test
    void relayedKeyIdsSortByTheMillisecondOfTheirBlock() {
        UUID earlier = KeyIds.deriveRelayed("A~E", KeyIds.relayedBlock(1_795_000_000_123L, 32_767, 1), 9, 31);
        UUID later = KeyIds.deriveRelayed("A~E", KeyIds.relayedBlock(1_795_000_000_124L, 0, 0), 8, 0);
        // as SQLite orders the IDs' text, and the key-ID index with it
        assertThat(earlier.toString()).isLessThan(later.toString());
    }

    @Test
    void aRelayedBlockRefusesFieldsBeyondTheirBits() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyIds.relayedBlock(1, 1 << 15, 0))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyIds.relayedBlock(1, 0, 2))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KeyIds.relayedBlock(1L << 47, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Computed outside Java from the documented recipe: {@code h = sha256(b"hotaru:relayed-key-id:v1" +
     * pack(">i", 3) + b"A~E" + pack(">qqi", block, 42, 2))[:16]}, block = 1795000000123 << 16 | 5 << 1 | 1, relay 42,
     * then {@code h[0:6]} = the millisecond (big-endian), version 7 and variant bits set.
     */
    static final String FROZEN_RELAYED_A_E = "01a1ee56-5e7b-7de3-8ef4-571a6b4fed5c";

    /**
     * Computed outside Java from the documented recipe: {@code sha256(b"hotaru:key-id:v1" +
     * pack(">i", 7) + b"link-ab" + pack(">qi", 7, 3))[:16]} with version 8 and variant bits set.
     */
    static final String FROZEN_LINK_AB_7_3 = "f9a43617-9155-87ff-b68f-e4bec34a8157";
}
