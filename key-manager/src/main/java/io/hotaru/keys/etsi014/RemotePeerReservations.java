package io.hotaru.keys.etsi014;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import io.hotaru.keys.store.PeerReservation;
import io.hotaru.keys.store.PeerReservations;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;

/**
 * {@link PeerReservations} between KME processes: posts the reservation to the peer KME's {@code
 * POST /internal/v1/reservations} ({@link ReservationSync}) with this KME's own certificate and
 * returns only once the peer answered that it recorded it durably. Anything else (refused,
 * unreachable, timed out) throws, and {@code enc_keys} releases the keys and answers 503.
 *
 * <p>Mutual TLS only today; the move onto the Wegman–Carter-authenticated peer channel is noted in
 * docs/architecture.md.
 */
public final class RemotePeerReservations implements PeerReservations {
    private final Map<String, URI> peerOfLink;
    private final HttpClient client;
    private final Duration timeout;

    /**
     * @param peerOfLink for each link, the base URI of the peer KME's ETSI 014 server, e.g. {@code
     *     https://127.0.0.1:8444}
     * @param kmeTls a client context presenting this KME's certificate and trusting the network CA
     * @param timeout how long to wait for the peer's durable answer
     */
    public RemotePeerReservations(Map<String, URI> peerOfLink, SSLContext kmeTls, Duration timeout) {
        this.peerOfLink = Map.copyOf(peerOfLink);
        this.timeout = timeout;
        this.client = HttpClient.newBuilder()
                .sslContext(kmeTls)
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
    }

    @Override
    public void reserved(PeerReservation reservation) {
        try {
            reservedAsync(reservation).join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof KeyManagerException k ? k : e;
        }
    }

    /** Posts the reservation without waiting; the future fails with a {@link KeyManagerException}. */
    @Override
    public CompletableFuture<Void> reservedAsync(PeerReservation reservation) {
        URI base = peerOfLink.get(reservation.linkId());
        if (base == null) {
            return CompletableFuture.failedFuture(new KeyManagerException(
                    Code.PEER_SYNC_FAILED, "no peer KME known for link " + reservation.linkId()));
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(ReservationSync.PATH))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(ReservationJson.write(reservation)))
                .build();
        return client.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, failure) -> {
                    if (failure != null) {
                        Throwable e = KeyDeliveryService.cause(failure);
                        throw new KeyManagerException(
                                Code.PEER_SYNC_FAILED, "peer KME at " + base + " unreachable: " + e, e);
                    }
                    List<UUID> spent =
                            response.statusCode() == 409 ? ReservationJson.spentUnits(response.body()) : List.of();
                    if (!spent.isEmpty()) {
                        throw new KeyManagerException(
                                Code.UNITS_SPENT,
                                "peer KME at " + base + " has already delivered or erased " + spent.size()
                                        + " of the announced units of link " + reservation.linkId(),
                                spent);
                    }
                    List<UUID> unknown =
                            response.statusCode() == 409 ? ReservationJson.unknownUnits(response.body()) : List.of();
                    long forgottenBefore = unknown.isEmpty() ? 0 : ReservationJson.forgottenBefore(response.body());
                    if (forgottenBefore > 0) {
                        throw new KeyManagerException(
                                Code.UNITS_UNKNOWN,
                                "peer KME at " + base + " has no row of " + unknown.size()
                                        + " of the announced units of link " + reservation.linkId(),
                                unknown,
                                forgottenBefore);
                    }
                    if (response.statusCode() != 200) {
                        throw new KeyManagerException(
                                response.statusCode() == 409 ? Code.KEY_NOT_AVAILABLE : Code.PEER_SYNC_FAILED,
                                "peer KME at " + base + " refused the reservation on link " + reservation.linkId()
                                        + ": HTTP " + response.statusCode());
                    }
                    return null;
                });
    }

    @Override
    public boolean sharesLink(String linkId) {
        return peerOfLink.containsKey(linkId);
    }

    @Override
    public boolean completesAsynchronously() {
        return true;
    }
}
