package io.hotaru.keys.etsi014;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.PeerReservation;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receiving end of KME-to-KME reservation sync: {@code POST /internal/v1/reservations} on the
 * ETSI 014 server. Only a KME certificate (server and client purpose) whose CN is the peer KME
 * configured for the reservation's link may call it; SAE certificates never can; and it may name
 * only a master SAE attached to it and slave SAEs the access list pairs with that master over that
 * link, attached here. The reservation
 * is recorded durably (the store commits before returning) before the 200 answer, which is what
 * {@link RemotePeerReservations} waits for.
 *
 * <p>Today this rides on mutual TLS only; it should move onto the Wegman–Carter-authenticated peer
 * channel (see docs/architecture.md).
 */
public final class ReservationSync {
    private static final Logger log = LoggerFactory.getLogger(ReservationSync.class);
    public static final String PATH = "/internal/v1/reservations";

    private final Map<String, String> peerKmeOfLink;
    private final Consumer<PeerReservation> target;

    /**
     * @param peerKmeOfLink for each link of this KME, the KME at its other end: the only caller
     *     allowed to announce reservations on it
     * @param target records the reservation durably, e.g. {@code KeyStore::markReservedByPeer}
     */
    public ReservationSync(Map<String, String> peerKmeOfLink, Consumer<PeerReservation> target) {
        this.peerKmeOfLink = Map.copyOf(peerKmeOfLink);
        this.target = target;
    }

    /** No peers: every call is refused. */
    public static ReservationSync disabled() {
        return new ReservationSync(Map.of(), r -> {
            throw new IllegalStateException("reservation sync is disabled");
        });
    }

    /**
     * @param allowed refuses (throws {@link ApiError}) a reservation the access list does not allow
     *     from that peer KME ({@link KeyDeliveryService#requireReservable})
     */
    ApiResponse handle(Optional<String> kmeCaller, byte[] body, BiConsumer<String, PeerReservation> allowed) {
        String caller = kmeCaller.orElseThrow(() -> new ApiError(403, "only a peer KME may call this endpoint"));
        if (!peerKmeOfLink.containsValue(caller)) {
            throw new ApiError(403, "KME " + caller + " is not a peer of this KME");
        }
        PeerReservation reservation = ReservationJson.read(body);
        String peer = peerKmeOfLink.get(reservation.linkId());
        if (!caller.equals(peer)) {
            throw new ApiError(403, "KME " + caller + " is not the peer on link " + reservation.linkId());
        }
        try {
            allowed.accept(caller, reservation);
        } catch (ApiError e) {
            log.warn("Reservation from KME {} on link {} refused: {}", caller, reservation.linkId(), e.getMessage());
            throw e;
        }
        try {
            target.accept(reservation);
        } catch (KeyManagerException e) {
            log.warn(
                    "Reservation from KME {} on link {} refused ({}): {}",
                    caller,
                    reservation.linkId(),
                    e.code(),
                    e.getMessage());
            if (e.code() == KeyManagerException.Code.UNITS_SPENT) {
                throw new ApiError(
                        409,
                        "reservation not recorded: units already delivered or erased here",
                        List.of(Map.of(
                                ReservationJson.SPENT_UNITS,
                                e.units().stream().map(UUID::toString).toList())));
            }
            if (e.code() == KeyManagerException.Code.UNITS_UNKNOWN) {
                throw new ApiError(
                        409,
                        "reservation not recorded: units unknown here, where spent units are forgotten",
                        List.of(Map.of(
                                ReservationJson.UNKNOWN_UNITS,
                                e.units().stream().map(UUID::toString).toList(),
                                ReservationJson.FORGOTTEN_BEFORE,
                                e.forgottenBefore())));
            }
            if (e.code() == KeyManagerException.Code.KEY_NOT_AVAILABLE
                    || e.code() == KeyManagerException.Code.INVALID_ARGUMENT) {
                throw new ApiError(409, "reservation not recorded: keys not available");
            }
            throw ApiError.unavailable("reservation not recorded: key store unavailable");
        }
        log.info(
                "Recorded reservation of {} keys on link {} from KME {} for {}",
                reservation.keys().size(),
                reservation.linkId(),
                caller,
                reservation.slaveSaes());
        return ApiResponse.json(
                200,
                Etsi014Json.write(
                        new ReservationJson.Ack("recorded", reservation.keys().size())));
    }
}
