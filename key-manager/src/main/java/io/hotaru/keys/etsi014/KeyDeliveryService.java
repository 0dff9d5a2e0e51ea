package io.hotaru.keys.etsi014;

import io.hotaru.keys.store.KeyBatch;
import io.hotaru.keys.store.KeyComposition;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyPool;
import io.hotaru.keys.store.LinkStatus;
import io.hotaru.keys.store.PeerRefusal;
import io.hotaru.keys.store.PeerReservation;
import io.hotaru.keys.store.PeerReservations;
import io.hotaru.keys.store.Reservation;
import io.hotaru.keys.store.UnitHalf;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETSI GS QKD 014 rules, free of HTTP: who may ask for what, and what the store and the peer
 * KME must do before keys leave. The caller is always the SAE named by the verified client
 * certificate. Every check that needs no key runs before the store is asked for one.
 */
final class KeyDeliveryService {
    private static final Logger log = LoggerFactory.getLogger(KeyDeliveryService.class);
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** One answer for unknown, foreign and spent keys: no existence oracle. */
    static final String KEYS_NOT_FOUND = "one or more keys specified are not found on KME";

    static final String EXTENSIONS_UNSUPPORTED = "not all extension_mandatory parameters are supported";

    private final Etsi014Config config;
    private final KeyPool store;
    private final PeerReservations peers;
    private final KeySupply supply;

    KeyDeliveryService(Etsi014Config config, KeyPool store, PeerReservations peers) {
        this(config, store, peers, KeySupply.none());
    }

    KeyDeliveryService(Etsi014Config config, KeyPool store, PeerReservations peers, KeySupply supply) {
        this.config = config;
        this.store = store;
        this.peers = peers;
        this.supply = supply;
    }

    ApiResponse status(String caller, String slave) {
        String linkId = linkFor(caller, slave);
        LinkStatus link;
        try {
            link = store.linkStatus(linkId);
        } catch (KeyManagerException e) {
            throw storeFailure(e);
        }
        long capacityKeys = link.capacity() / KeyComposition.unitsFor(config.keySize());
        long maxKeyCount = Math.min(config.maxKeyCount(), capacityKeys);
        return ApiResponse.json(
                200,
                Etsi014Json.write(new Etsi014Json.Status(
                        config.kmeId(),
                        config.kmeOfSae().get(slave),
                        caller,
                        slave,
                        config.keySize(),
                        Math.min(link.availableKeys(config.keySize()), maxKeyCount),
                        maxKeyCount,
                        config.maxKeysPerRequest(),
                        config.maxKeySize(),
                        config.minKeySize(),
                        config.maxSaeIdCount())));
    }

    /**
     * True when {@link #encKeysAsync} and {@link #decKeysAsync} never block their caller: the store
     * and the peer KME answer through futures, so an I/O thread may call them.
     */
    boolean nonBlocking() {
        return store.completesAsynchronously() && peers.completesAsynchronously();
    }

    /** {@link #encKeysAsync}, waited for on the calling thread. */
    ApiResponse encKeys(String caller, String slave, Etsi014Json.KeyRequest request) {
        return await(encKeysAsync(caller, slave, request, Runnable::run));
    }

    /**
     * {@code enc_keys}: a refusal that needs no key is thrown at once as an {@link ApiError}; the
     * future completes with the key container, or fails with an {@link ApiError}.
     *
     * @param blocking runs what may block (topping up the pool); {@code Runnable::run} when the
     *     caller may block itself
     */
    CompletableFuture<ApiResponse> encKeysAsync(
            String caller, String slave, Etsi014Json.KeyRequest request, Executor blocking) {
        String linkId = linkFor(caller, slave);
        int number = Objects.requireNonNullElse(request.number(), 1);
        int size = Objects.requireNonNullElse(request.size(), config.keySize());
        if (number < 1 || number > config.maxKeysPerRequest()) {
            throw ApiError.badRequest("number shall be between 1 and " + config.maxKeysPerRequest());
        }
        if (size % 8 != 0) {
            throw ApiError.badRequest("size shall be a multiple of 8");
        }
        if (size < config.minKeySize() || size > config.maxKeySize()) {
            throw ApiError.badRequest("size shall be between " + config.minKeySize() + " and " + config.maxKeySize());
        }
        if ((long) number * KeyComposition.unitsFor(size) > Etsi014Config.MAX_UNITS_PER_REQUEST) {
            throw ApiError.badRequest("number x size shall not exceed " + Etsi014Config.MAX_UNITS_PER_REQUEST * 256L
                    + " bits per request");
        }
        requireSupportedExtensions(request.extensionMandatory());
        List<String> additional = additionalSlaves(caller, slave, linkId, request.additionalSlaveSaeIds());

        List<String> local = new ArrayList<>();
        List<String> remote = new ArrayList<>();
        for (String s : concat(slave, additional)) {
            (config.isLocal(s) ? local : remote).add(s);
        }
        if (remote.isEmpty() && peers.sharesLink(linkId)) {
            // the peer KME would never hear of these keys and could hand the same units out again
            log.error(
                    "enc_keys {} -> {} refused: link {} is shared with a peer KME and no slave of the request is"
                            + " behind it; pair SAEs at the link's two ends",
                    caller,
                    slave,
                    linkId);
            throw ApiError.unavailable("link " + linkId + " serves SAEs at its two ends only");
        }
        return reserveAndDeliver(linkId, caller, slave, number, size, local, remote, blocking);
    }

    private static void requireSupportedExtensions(List<Map<String, Object>> mandatory) {
        if (mandatory == null || mandatory.isEmpty()) {
            return;
        }
        // No extension is supported yet: every name is listed back.
        Set<String> names = new LinkedHashSet<>();
        for (Map<String, Object> entry : mandatory) {
            if (entry == null) {
                throw ApiError.badRequest("extension_mandatory entries shall be objects");
            }
            names.addAll(entry.keySet());
        }
        throw new ApiError(
                400, EXTENSIONS_UNSUPPORTED, List.of(Map.of("extension_mandatory_unsupported", List.copyOf(names))));
    }

    /**
     * The validated additional slaves: distinct, not the master or the slave, each permitted for the
     * master, and each either attached here or reachable over the same link as the slave.
     */
    private List<String> additionalSlaves(String master, String slave, String linkId, List<String> requested) {
        if (requested == null || requested.isEmpty()) {
            return List.of();
        }
        if (requested.size() > config.maxSaeIdCount()) {
            throw ApiError.badRequest(
                    "additional_slave_SAE_IDs shall have at most " + config.maxSaeIdCount() + " entries");
        }
        Set<String> seen = new HashSet<>(List.of(master, slave));
        for (String extra : requested) {
            if (extra == null || extra.isBlank()) {
                throw ApiError.badRequest("additional_slave_SAE_IDs shall be SAE IDs");
            }
            if (!seen.add(extra)) {
                throw ApiError.badRequest(
                        "additional_slave_SAE_IDs shall be distinct and name neither master nor slave");
            }
            String extraLink = linkFor(master, extra);
            if (!config.isLocal(extra)
                    && (!extraLink.equals(linkId)
                            || !config.kmeOfSae()
                                    .get(extra)
                                    .equals(config.kmeOfSae().get(slave)))) {
                throw ApiError.badRequest("no key path to additional slave " + extra + " over the link of " + slave);
            }
        }
        return List.copyOf(requested);
    }

    private CompletableFuture<ApiResponse> reserveAndDeliver(
            String linkId,
            String master,
            String slave,
            int number,
            int size,
            List<String> local,
            List<String> remote,
            Executor blocking) {
        // The peer KME records the reservation while this store makes it durable: the answer waits
        // for both (docs/adr/0006-wal-fsync-off-the-store-writer-thread.md, "Announcing early").
        CompletableFuture<Void> told = remote.isEmpty() ? null : new CompletableFuture<>();
        Consumer<PeerReservation> announce = told == null ? null : announcement -> tell(announcement, told);
        return reserveOrTopUp(linkId, number, size, master, local, remote, announce, blocking)
                .handle((reservation, failure) -> {
                    if (failure == null) {
                        return reservation;
                    }
                    KeyManagerException e = storeException(failure);
                    if (e.code() == KeyManagerException.Code.KEYS_EXHAUSTED) {
                        log.info("enc_keys {} -> {}: {}", master, slave, e.getMessage());
                        throw ApiError.unavailable("not enough keys available for " + slave);
                    }
                    throw storeFailure(e);
                })
                .thenCompose(reservation -> confirmWithPeer(reservation, told, linkId, number, master, slave, remote)
                        .thenApply(confirmed -> answerMaster(reservation, linkId, number, size, master, slave))
                        .whenComplete((answer, failure) -> reservation.close()));
    }

    /** Announces a reservation to the peer KME; {@code told} completes with its answer. */
    private void tell(PeerReservation announcement, CompletableFuture<Void> told) {
        CompletableFuture<Void> answer;
        try {
            answer = peers.reservedAsync(announcement);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((recorded, failure) -> {
            if (failure == null) {
                told.complete(null);
            } else {
                told.completeExceptionally(cause(failure));
            }
        });
    }

    /**
     * Completes once the remote slaves' KME holds the reservation durably (at once when there are
     * none, {@code told} null); if it does not, releases the keys here and fails with a 503. Units
     * the peer reports spent are erased here instead of released.
     */
    private CompletableFuture<Void> confirmWithPeer(
            Reservation reservation,
            CompletableFuture<Void> told,
            String linkId,
            int number,
            String master,
            String slave,
            List<String> remote) {
        if (told == null) {
            return CompletableFuture.completedFuture(null);
        }
        return told.exceptionallyCompose(failure -> {
            Throwable e = cause(failure);
            log.warn(
                    "Peer KME of link {} did not confirm {} keys for {} -> {}: {}",
                    linkId,
                    number,
                    master,
                    remote,
                    e.getMessage());
            PeerRefusal refusal = e instanceof KeyManagerException k ? PeerRefusal.of(k) : PeerRefusal.NONE;
            return releaseQuietly(reservation, refusal).thenApply(released -> {
                throw ApiError.unavailable("the KME of " + slave + " could not confirm the keys");
            });
        });
    }

    private ApiResponse answerMaster(
            Reservation reservation, String linkId, int number, int size, String master, String slave) {
        byte[] body = KeyContainerWriter.write(reservation.keys());
        try {
            store.confirmMasterDelivery(reservation);
        } catch (KeyManagerException e) {
            Arrays.fill(body, (byte) 0);
            throw storeFailure(e);
        }
        log.info(
                "enc_keys {} -> {} on link {}: {} keys of {} bits",
                master,
                concat(slave, List.of()),
                linkId,
                number,
                size);
        return ApiResponse.secret(body);
    }

    /** Reserves; if the pool is short, asks the key supply once (on {@code blocking}) and tries again. */
    private CompletableFuture<Reservation> reserveOrTopUp(
            String linkId,
            int number,
            int size,
            String master,
            List<String> local,
            List<String> remote,
            Consumer<PeerReservation> announce,
            Executor blocking) {
        return reserve(linkId, number, size, master, local, remote, announce).exceptionallyCompose(failure -> {
            Throwable e = cause(failure);
            if (!(e instanceof KeyManagerException k) || k.code() != KeyManagerException.Code.KEYS_EXHAUSTED) {
                return CompletableFuture.failedFuture(e);
            }
            long units = (long) number * KeyComposition.unitsFor(size);
            return CompletableFuture.supplyAsync(() -> supply.topUp(linkId, units), blocking)
                    .thenCompose(toppedUp -> toppedUp
                            ? reserve(linkId, number, size, master, local, remote, announce)
                            : CompletableFuture.failedFuture(e));
        });
    }

    private CompletableFuture<Reservation> reserve(
            String linkId,
            int number,
            int size,
            String master,
            List<String> local,
            List<String> remote,
            Consumer<PeerReservation> announce) {
        try {
            // The peer KME's masters pick from the other half of the link: the two ends never
            // reserve the same unit at once, which would fail both requests (UnitHalf).
            UnitHalf half = remote.isEmpty()
                    ? UnitHalf.ANY
                    : UnitHalf.ofEnd(config.kmeId(), config.kmeOfSae().get(remote.get(0)));
            return store.reserveAsync(linkId, number, size, master, local, remote, half, announce);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** {@link #decKeysAsync}, waited for on the calling thread. */
    ApiResponse decKeys(String caller, String master, List<String> keyIdTexts) {
        return await(decKeysAsync(caller, master, keyIdTexts));
    }

    /**
     * {@code dec_keys}: a refusal that needs no key is thrown at once as an {@link ApiError}; the
     * future completes with the key container, or fails with an {@link ApiError}.
     */
    CompletableFuture<ApiResponse> decKeysAsync(String caller, String master, List<String> keyIdTexts) {
        linkFor(master, caller);
        if (keyIdTexts.isEmpty()) {
            throw ApiError.badRequest("key_IDs shall not be empty");
        }
        if (keyIdTexts.size() > config.maxKeysPerRequest()) {
            throw ApiError.badRequest("key_IDs shall have at most " + config.maxKeysPerRequest() + " entries");
        }
        List<UUID> ids = keyIdTexts.stream().map(KeyDeliveryService::parseKeyId).toList();
        if (new HashSet<>(ids).size() != ids.size()) {
            throw ApiError.badRequest("key_IDs shall not repeat a key_ID");
        }
        CompletableFuture<KeyBatch> delivered;
        try {
            delivered = store.deliverAsync(ids, caller, master);
        } catch (RuntimeException e) {
            delivered = CompletableFuture.failedFuture(e);
        }
        return delivered.handle((keys, failure) -> {
            if (failure == null) {
                try (KeyBatch batch = keys) {
                    log.info("dec_keys {} <- {}: {} keys", caller, master, batch.size());
                    return ApiResponse.secret(KeyContainerWriter.write(batch));
                }
            }
            KeyManagerException e = storeException(failure);
            if (e.code() == KeyManagerException.Code.KEY_NOT_AVAILABLE) {
                log.info("dec_keys {} <- {}: refused {} key IDs", caller, master, ids.size());
                throw ApiError.badRequest(KEYS_NOT_FOUND);
            }
            throw storeFailure(e);
        });
    }

    /**
     * 403 unless a peer KME's reservation names what the access list lets it name: a master SAE
     * attached to that KME, and slave SAEs attached to this one whose pair with the master is served
     * by the reservation's link. Only the named slaves may collect the keys here ({@code dec_keys}
     * checks the pickup rows the reservation leaves), so a peer KME, faulty or not, cannot hand a
     * link's keys to an SAE the access list pairs with the master over another link or not at all.
     */
    void requireReservable(String peerKme, PeerReservation reservation) {
        String master = reservation.masterSae();
        if (!peerKme.equals(config.kmeOfSae().get(master))) {
            throw new ApiError(403, "master SAE " + master + " of the reservation is not attached to KME " + peerKme);
        }
        for (String slave : reservation.slaveSaes()) {
            if (!config.isLocal(slave)
                    || !reservation.linkId().equals(config.linkOfPair().get(new SaePair(master, slave)))) {
                throw new ApiError(
                        403,
                        "the access list does not let slave SAE " + slave + " collect keys of link "
                                + reservation.linkId() + " from master SAE " + master + " at KME " + config.kmeId());
            }
        }
    }

    /** 401 unless the certificate's SAE is attached to this KME. */
    void requireAttached(String caller) {
        if (!config.isLocal(caller)) {
            throw ApiError.unauthorized("SAE " + caller + " is not attached to KME " + config.kmeId());
        }
    }

    /** The link serving the pair, or 401 when the pair is not in the access list. */
    private String linkFor(String master, String slave) {
        String linkId = config.linkOfPair().get(new SaePair(master, slave));
        if (linkId == null) {
            throw ApiError.unauthorized("SAE pair " + master + " -> " + slave + " is not permitted");
        }
        return linkId;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>(rest.size() + 1);
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private static UUID parseKeyId(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiError.badRequest("key_ID shall be a UUID");
        }
        return UUID.fromString(text);
    }

    private CompletableFuture<Void> releaseQuietly(Reservation reservation, PeerRefusal refusal) {
        CompletableFuture<Void> released;
        try {
            released = store.releaseAsync(reservation, refusal);
        } catch (RuntimeException e) {
            released = CompletableFuture.failedFuture(e);
        }
        return released.exceptionally(failure -> {
            log.error(
                    "Could not release unconfirmed keys ({}); they expire with their reservation",
                    cause(failure).getMessage());
            return null;
        });
    }

    /** The failure behind a future's {@link CompletionException}. */
    static Throwable cause(Throwable failure) {
        Throwable e = failure;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    /**
     * A store call's failure as the store's exception; anything else (a bug, not a refusal) is
     * rethrown, and the server answers it as a 503.
     */
    private static KeyManagerException storeException(Throwable failure) {
        Throwable e = cause(failure);
        if (e instanceof KeyManagerException k) {
            return k;
        }
        if (e instanceof RuntimeException r) {
            throw r;
        }
        throw new CompletionException(e);
    }

    /** Waits for an answer on the calling thread, throwing the {@link ApiError} it failed with. */
    static ApiResponse await(CompletableFuture<ApiResponse> answer) {
        try {
            return answer.join();
        } catch (CompletionException | CancellationException e) {
            Throwable c = cause(e);
            throw c instanceof RuntimeException r ? r : e;
        }
    }

    private static ApiError storeFailure(KeyManagerException e) {
        log.error("Key store failure ({}): {}", e.code(), e.getMessage());
        return ApiError.unavailable("key store unavailable");
    }
}
