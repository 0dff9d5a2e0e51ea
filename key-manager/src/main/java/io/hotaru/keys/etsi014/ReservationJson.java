package io.hotaru.keys.etsi014;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hotaru.keys.store.KeyComposition;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.PeerReservation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The wire form of a {@link PeerReservation} between KMEs: IDs and sizes only, no key material. */
final class ReservationJson {
    private ReservationJson() {}

    record Wire(
            @JsonProperty("link_ID") String linkId,
            @JsonProperty("master_SAE_ID") String masterSaeId,
            @JsonProperty("slave_SAE_IDs") List<String> slaveSaeIds,
            @JsonProperty("keys") List<Key> keys,
            @JsonProperty("expires_at_ms") Long expiresAtMs,
            @JsonProperty("sequence") Long sequence) {}

    record Key(
            @JsonProperty("key_ID") String keyId,
            @JsonProperty("size") Integer size,
            @JsonProperty("units") List<String> units) {}

    /** The detail of a 409 naming the announced units the peer has already delivered or erased. */
    static final String SPENT_UNITS = "spent_units";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Refusal(@JsonProperty("details") List<Map<String, List<String>>> details) {}

    /** The spent units named by a 409 body, or none if it names none or is not readable. */
    static List<UUID> spentUnits(byte[] body) {
        try {
            Refusal refusal = Etsi014Json.read(body, Refusal.class, "refusal");
            if (refusal.details() == null) {
                return List.of();
            }
            List<UUID> units = new ArrayList<>();
            for (Map<String, List<String>> detail : refusal.details()) {
                List<String> ids = detail == null ? null : detail.get(SPENT_UNITS);
                if (ids != null) {
                    for (String id : ids) {
                        units.add(UUID.fromString(id));
                    }
                }
            }
            return units;
        } catch (ApiError | IllegalArgumentException | NullPointerException e) {
            return List.of();
        }
    }

    record Ack(
            @JsonProperty("status") String status,
            @JsonProperty("keys") int keys) {}

    static byte[] write(PeerReservation r) {
        List<Key> keys = r.keys().stream()
                .map(k -> new Key(
                        k.keyId().toString(),
                        k.sizeBits(),
                        k.units().stream().map(UUID::toString).toList()))
                .toList();
        return Etsi014Json.write(new Wire(
                r.linkId(), r.masterSae(), r.slaveSaes(), keys, r.expiresAt().toEpochMilli(), r.sequence()));
    }

    /** Parses and validates; any malformation is a 400. */
    static PeerReservation read(byte[] body) {
        Wire w = Etsi014Json.read(body, Wire.class, "reservation");
        if (w.linkId() == null
                || w.masterSaeId() == null
                || w.slaveSaeIds() == null
                || w.keys() == null
                || w.expiresAtMs() == null
                || w.slaveSaeIds().isEmpty()
                || w.keys().isEmpty()
                || w.slaveSaeIds().contains(null)
                || w.keys().contains(null)) {
            throw ApiError.badRequest("reservation lacks link_ID, master_SAE_ID, slave_SAE_IDs, keys or expires_at_ms");
        }
        try {
            List<KeyComposition> keys = w.keys().stream()
                    .map(k -> {
                        if (k.keyId() == null
                                || k.size() == null
                                || k.units() == null
                                || k.units().contains(null)) {
                            throw ApiError.badRequest("a reserved key lacks key_ID, size or units");
                        }
                        return new KeyComposition(
                                UUID.fromString(k.keyId()),
                                k.size(),
                                k.units().stream().map(UUID::fromString).toList());
                    })
                    .toList();
            // an announcement without a number (an older peer) never takes units back
            long sequence = w.sequence() == null ? 0 : w.sequence();
            if (sequence < 0) {
                throw ApiError.badRequest("reservation sequence shall not be negative");
            }
            return new PeerReservation(
                    w.linkId(),
                    w.masterSaeId(),
                    w.slaveSaeIds(),
                    keys,
                    Instant.ofEpochMilli(w.expiresAtMs()),
                    sequence);
        } catch (IllegalArgumentException | KeyManagerException e) {
            throw ApiError.badRequest("reservation is malformed");
        }
    }
}
