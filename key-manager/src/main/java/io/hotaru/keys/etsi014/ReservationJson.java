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

    /**
     * The detail of a 409 naming the announced units the peer has no row of, where it has deleted
     * the rows of units spent before {@link #FORGOTTEN_BEFORE}.
     */
    static final String UNKNOWN_UNITS = "unknown_units";
    /** The detail beside {@link #UNKNOWN_UNITS}: epoch milliseconds. */
    static final String FORGOTTEN_BEFORE = "forgotten_before";

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Refusal(@JsonProperty("details") List<Map<String, Object>> details) {}

    /** The spent units named by a 409 body, or none if it names none or is not readable. */
    static List<UUID> spentUnits(byte[] body) {
        return units(body, SPENT_UNITS);
    }

    /** The unknown units named by a 409 body, or none if it names none or is not readable. */
    static List<UUID> unknownUnits(byte[] body) {
        return units(body, UNKNOWN_UNITS);
    }

    /** The forgotten-before time of a 409 body that names unknown units, 0 if it has none. */
    static long forgottenBefore(byte[] body) {
        for (Map<String, Object> detail : details(body)) {
            if (detail != null && detail.get(FORGOTTEN_BEFORE) instanceof Number n && n.longValue() > 0) {
                return n.longValue();
            }
        }
        return 0;
    }

    private static List<UUID> units(byte[] body, String name) {
        try {
            List<UUID> units = new ArrayList<>();
            for (Map<String, Object> detail : details(body)) {
                if (detail != null && detail.get(name) instanceof List<?> ids) {
                    for (Object id : ids) {
                        units.add(UUID.fromString((String) id));
                    }
                }
            }
            return units;
        } catch (ClassCastException | IllegalArgumentException | NullPointerException e) {
            return List.of();
        }
    }

    private static List<Map<String, Object>> details(byte[] body) {
        try {
            Refusal refusal = Etsi014Json.read(body, Refusal.class, "refusal");
            return refusal.details() == null ? List.of() : refusal.details();
        } catch (ApiError e) {
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
