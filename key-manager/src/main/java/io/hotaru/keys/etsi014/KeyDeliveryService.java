package io.hotaru.keys.etsi014;

import io.hotaru.keys.store.KeyBatch;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyStore;
import io.hotaru.keys.store.PeerReservations;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ETSI GS QKD 014 rules, free of HTTP: who may ask for what, and what the store and the peer
 * KME must do before keys leave. The caller is always the SAE named by the verified client
 * certificate.
 */
final class KeyDeliveryService {
    private static final Logger log = LoggerFactory.getLogger(KeyDeliveryService.class);
    private static final Pattern UUID_TEXT =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    /** One answer for unknown, foreign and spent keys: no existence oracle. */
    static final String KEYS_NOT_FOUND = "one or more keys specified are not found on KME";

    private final Etsi014Config config;
    private final KeyStore store;
    private final PeerReservations peers;

    KeyDeliveryService(Etsi014Config config, KeyStore store, PeerReservations peers) {
        this.config = config;
        this.store = store;
        this.peers = peers;
    }

    ApiResponse status(String caller, String slave) {
        String linkId = linkFor(caller, slave);
        long available;
        try {
            available = store.availableCount(linkId);
        } catch (KeyManagerException e) {
            throw storeFailure(e);
        }
        return ApiResponse.json(
                200,
                Etsi014Json.write(new Etsi014Json.Status(
                        config.kmeId(),
                        config.kmeOfSae().get(slave),
                        caller,
                        slave,
                        Etsi014Config.KEY_SIZE_BITS,
                        Math.min(available, config.maxKeyCount()),
                        config.maxKeyCount(),
                        config.maxKeysPerRequest(),
                        Etsi014Config.KEY_SIZE_BITS,
                        Etsi014Config.KEY_SIZE_BITS,
                        Etsi014Config.MAX_SAE_ID_COUNT)));
    }

    ApiResponse encKeys(String caller, String slave, Etsi014Json.KeyRequest request) {
        String linkId = linkFor(caller, slave);
        int number = Objects.requireNonNullElse(request.number(), 1);
        int size = Objects.requireNonNullElse(request.size(), Etsi014Config.KEY_SIZE_BITS);
        if (number < 1 || number > config.maxKeysPerRequest()) {
            throw ApiError.badRequest("number shall be between 1 and " + config.maxKeysPerRequest());
        }
        if (size % 8 != 0) {
            throw ApiError.badRequest("size shall be a multiple of 8");
        }
        if (size != Etsi014Config.KEY_SIZE_BITS) {
            throw ApiError.badRequest("size shall be " + Etsi014Config.KEY_SIZE_BITS);
        }
        if (request.additionalSlaveSaeIds() != null
                && request.additionalSlaveSaeIds().size() > Etsi014Config.MAX_SAE_ID_COUNT) {
            throw ApiError.badRequest(
                    "additional_slave_SAE_IDs shall have at most " + Etsi014Config.MAX_SAE_ID_COUNT + " entries");
        }
        if (request.extensionMandatory() != null
                && !request.extensionMandatory().isEmpty()) {
            List<Object> names = request.extensionMandatory().stream()
                    .filter(Objects::nonNull)
                    .flatMap(m -> m.keySet().stream())
                    .map(Object.class::cast)
                    .toList();
            throw new ApiError(
                    400,
                    "not all extension_mandatory parameters are supported",
                    List.of(Map.of("extension_mandatory_unsupported", names)));
        }
        return reserveAndDeliver(linkId, caller, slave, number);
    }

    private ApiResponse reserveAndDeliver(String linkId, String master, String slave, int number) {
        boolean slaveIsLocal = config.isLocal(slave);
        List<UUID> ids;
        try {
            ids = store.reserve(linkId, number, master, slaveIsLocal ? List.of(slave) : List.of());
        } catch (KeyManagerException e) {
            if (e.code() == KeyManagerException.Code.KEYS_EXHAUSTED) {
                log.info("enc_keys {} -> {}: {}", master, slave, e.getMessage());
                throw ApiError.unavailable("not enough keys available for " + slave);
            }
            throw storeFailure(e);
        }
        if (!slaveIsLocal) {
            try {
                peers.reserved(linkId, master, slave, ids);
            } catch (RuntimeException e) {
                log.warn(
                        "Peer KME of link {} did not confirm {} keys for {} -> {}: {}",
                        linkId,
                        ids.size(),
                        master,
                        slave,
                        e.getMessage());
                releaseQuietly(ids, master);
                throw ApiError.unavailable("the KME of " + slave + " could not confirm the keys");
            }
        }
        try (KeyBatch batch = store.deliverToMaster(ids, master)) {
            log.info("enc_keys {} -> {} on link {}: {} keys", master, slave, linkId, batch.size());
            return ApiResponse.secret(KeyContainerWriter.write(batch));
        } catch (KeyManagerException e) {
            throw storeFailure(e);
        }
    }

    ApiResponse decKeys(String caller, String master, List<String> keyIdTexts) {
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
        try (KeyBatch batch = store.deliver(ids, caller, master)) {
            log.info("dec_keys {} <- {}: {} keys", caller, master, batch.size());
            return ApiResponse.secret(KeyContainerWriter.write(batch));
        } catch (KeyManagerException e) {
            if (e.code() == KeyManagerException.Code.KEY_NOT_AVAILABLE) {
                log.info("dec_keys {} <- {}: refused {} key IDs", caller, master, ids.size());
                throw ApiError.badRequest(KEYS_NOT_FOUND);
            }
            throw storeFailure(e);
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

    private static UUID parseKeyId(String text) {
        if (text == null || !UUID_TEXT.matcher(text).matches()) {
            throw ApiError.badRequest("key_ID shall be a UUID");
        }
        return UUID.fromString(text);
    }

    private void releaseQuietly(List<UUID> ids, String master) {
        try {
            store.release(ids, master);
        } catch (KeyManagerException e) {
            log.error("Could not release {} unconfirmed keys of {}: {}", ids.size(), master, e.getMessage());
        }
    }

    private static ApiError storeFailure(KeyManagerException e) {
        log.error("Key store failure ({}): {}", e.code(), e.getMessage());
        return ApiError.unavailable("key store unavailable");
    }
}
