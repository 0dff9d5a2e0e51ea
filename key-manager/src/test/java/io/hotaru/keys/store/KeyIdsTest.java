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

    /**
     * Computed outside Java from the documented recipe: {@code sha256(b"hotaru:key-id:v1" +
     * pack(">i", 7) + b"link-ab" + pack(">qi", 7, 3))[:16]} with version 8 and variant bits set.
     */
    static final String FROZEN_LINK_AB_7_3 = "f9a43617-9155-87ff-b68f-e4bec34a8157";
}
