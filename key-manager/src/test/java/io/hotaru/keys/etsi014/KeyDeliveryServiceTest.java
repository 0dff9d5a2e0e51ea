package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.MasterKey;
import io.hotaru.keys.store.PeerReservations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyDeliveryServiceTest {
    static final Etsi014Config CONFIG = Etsi014Config.of(
            "kme-a", 0, Map.of("sae-a", "kme-a", "sae-b", "kme-b"), Map.of(new SaePair("sae-a", "sae-b"), "ab"));

    @TempDir
    Path dir;

    KeyStore store;

    @BeforeEach
    void open() {
        byte[] master = new byte[32];
        store = KeyStore.open(dir.resolve("a.db"), MasterKey.of(master));
        store.ingest("ab", 1, new byte[4 * KeyStore.KEY_BYTES]);
    }

    @AfterEach
    void close() {
        store.close();
    }

    @Test
    void thePeerIsToldBeforeKeysAreReturnedAndAFailedPeerConsumesNothing() {
        List<String> calls = new ArrayList<>();
        PeerReservations refusing = r -> {
            calls.add(r.linkId() + " " + r.masterSae() + " " + r.slaveSaes() + " "
                    + r.keys().size());
            throw new KeyManagerException(KeyManagerException.Code.PEER_SYNC_FAILED, "peer down");
        };
        KeyDeliveryService service = new KeyDeliveryService(CONFIG, store, refusing);

        assertThatThrownBy(() -> service.encKeys("sae-a", "sae-b", request(2)))
                .isInstanceOfSatisfying(
                        ApiError.class, e -> assertThat(e.status()).isEqualTo(503));
        assertThat(calls).containsExactly("ab sae-a [sae-b] 2");
        assertThat(store.availableCount("ab")).isEqualTo(4);
    }

    @Test
    void theMasterGetsExactlyTheKeysThePeerWasToldAbout() {
        List<UUID> told = new ArrayList<>();
        KeyDeliveryService service =
                new KeyDeliveryService(CONFIG, store, r -> r.keys().forEach(k -> told.add(k.keyId())));

        ApiResponse response = service.encKeys("sae-a", "sae-b", request(3));

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.secret()).isTrue();
        String body = new String(response.body(), java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(told).hasSize(3).allSatisfy(id -> assertThat(body).contains(id.toString()));
        assertThat(store.counts("ab").delivered()).isEqualTo(3);
    }

    @Test
    void keyContainerIsExactJson() throws Exception {
        KeyDeliveryService service = new KeyDeliveryService(CONFIG, store, r -> {});
        byte[] body = service.encKeys("sae-a", "sae-b", request(2)).body();
        var tree = Etsi014Json.MAPPER.readTree(body);
        assertThat(tree.get("keys")).hasSize(2);
        assertThat(tree.get("keys").get(1).get("key").asText()).isEqualTo("A".repeat(43) + "=");
        assertThat(Arrays.copyOfRange(body, 0, 20)).asString().startsWith("{\"keys\":[{\"key_ID\":\"");
    }

    private static Etsi014Json.KeyRequest request(int number) {
        return new Etsi014Json.KeyRequest(number, null, null, null, null);
    }
}
