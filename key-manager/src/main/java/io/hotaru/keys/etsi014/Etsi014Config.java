package io.hotaru.keys.etsi014;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import java.util.Map;

/**
 * What one KME's ETSI GS QKD 014 server serves, validated once at start-up.
 *
 * @param kmeId this KME
 * @param bindAddress address to listen on
 * @param port TCP port, 0 for an ephemeral one
 * @param kmeOfSae every SAE of the network and the KME it is attached to
 * @param linkOfPair the access list: the (master, slave) pairs that may exchange keys, each with the
 *     QKD link whose key pool serves it; a pair not listed gets 401
 * @param maxKeysPerRequest largest {@code number} of one request, and largest {@code key_IDs} list
 * @param maxKeyCount upper bound reported as {@code max_key_count} (the link's capacity if lower)
 * @param keySize default key size in bits ({@code key_size})
 * @param minKeySize smallest key size in bits
 * @param maxKeySize largest key size in bits
 * @param maxSaeIdCount most {@code additional_slave_SAE_IDs} of one request; 0 disables multicast
 * @param saeIdentity where the SAE ID is read in the client certificate: CN (default) or SAN URI
 */
public record Etsi014Config(
        String kmeId,
        String bindAddress,
        int port,
        Map<String, String> kmeOfSae,
        Map<SaePair, String> linkOfPair,
        int maxKeysPerRequest,
        long maxKeyCount,
        int keySize,
        int minKeySize,
        int maxKeySize,
        int maxSaeIdCount,
        SaeIdentity saeIdentity) {

    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    public static final int DEFAULT_MAX_KEYS_PER_REQUEST = 128;
    public static final long DEFAULT_MAX_KEY_COUNT = 1_000_000;
    public static final int DEFAULT_KEY_SIZE = 256;
    public static final int DEFAULT_MIN_KEY_SIZE = 64;
    public static final int DEFAULT_MAX_KEY_SIZE = 4096;
    public static final int DEFAULT_MAX_SAE_ID_COUNT = 8;
    /** Most units of 256 bits one request may consume ({@code number} x units per key). */
    public static final int MAX_UNITS_PER_REQUEST = 4096;

    public Etsi014Config {
        kmeOfSae = Map.copyOf(kmeOfSae);
        linkOfPair = Map.copyOf(linkOfPair);
        require(kmeId != null && !kmeId.isBlank(), "kmeId must not be blank");
        require(bindAddress != null && !bindAddress.isBlank(), "bindAddress must not be blank");
        require(port >= 0 && port <= 65_535, "port must be within 0..65535, was " + port);
        require(maxKeysPerRequest >= 1, "maxKeysPerRequest must be at least 1, was " + maxKeysPerRequest);
        require(maxKeyCount >= 0, "maxKeyCount must not be negative");
        require(minKeySize >= 8 && minKeySize % 8 == 0, "minKeySize must be a positive multiple of 8");
        require(maxKeySize >= minKeySize && maxKeySize % 8 == 0, "maxKeySize must be a multiple of 8 >= minKeySize");
        require(keySize >= minKeySize && keySize <= maxKeySize && keySize % 8 == 0, "keySize must lie in [min, max]");
        require(maxSaeIdCount >= 0, "maxSaeIdCount must not be negative");
        require(saeIdentity != null, "saeIdentity must be given (SaeIdentity.COMMON_NAME by default)");
        for (Map.Entry<SaePair, String> entry : linkOfPair.entrySet()) {
            SaePair pair = entry.getKey();
            require(!pair.masterSae().equals(pair.slaveSae()), "pair " + pair + " names one SAE twice");
            require(kmeOfSae.containsKey(pair.masterSae()), "pair " + pair + ": master has no KME");
            require(kmeOfSae.containsKey(pair.slaveSae()), "pair " + pair + ": slave has no KME");
            require(!entry.getValue().isBlank(), "pair " + pair + " has a blank link ID");
        }
    }

    /** As the canonical constructor, the SAE ID taken from the certificate's CN. */
    public Etsi014Config(
            String kmeId,
            String bindAddress,
            int port,
            Map<String, String> kmeOfSae,
            Map<SaePair, String> linkOfPair,
            int maxKeysPerRequest,
            long maxKeyCount,
            int keySize,
            int minKeySize,
            int maxKeySize,
            int maxSaeIdCount) {
        this(
                kmeId,
                bindAddress,
                port,
                kmeOfSae,
                linkOfPair,
                maxKeysPerRequest,
                maxKeyCount,
                keySize,
                minKeySize,
                maxKeySize,
                maxSaeIdCount,
                SaeIdentity.COMMON_NAME);
    }

    /** Listens on {@value #DEFAULT_BIND_ADDRESS} with the default limits. */
    public static Etsi014Config of(
            String kmeId, int port, Map<String, String> kmeOfSae, Map<SaePair, String> linkOfPair) {
        return new Etsi014Config(
                kmeId,
                DEFAULT_BIND_ADDRESS,
                port,
                kmeOfSae,
                linkOfPair,
                DEFAULT_MAX_KEYS_PER_REQUEST,
                DEFAULT_MAX_KEY_COUNT,
                DEFAULT_KEY_SIZE,
                DEFAULT_MIN_KEY_SIZE,
                DEFAULT_MAX_KEY_SIZE,
                DEFAULT_MAX_SAE_ID_COUNT);
    }

    public Etsi014Config withPort(int newPort) {
        return new Etsi014Config(
                kmeId,
                bindAddress,
                newPort,
                kmeOfSae,
                linkOfPair,
                maxKeysPerRequest,
                maxKeyCount,
                keySize,
                minKeySize,
                maxKeySize,
                maxSaeIdCount,
                saeIdentity);
    }

    public Etsi014Config withMaxKeysPerRequest(int max) {
        return new Etsi014Config(
                kmeId,
                bindAddress,
                port,
                kmeOfSae,
                linkOfPair,
                max,
                maxKeyCount,
                keySize,
                minKeySize,
                maxKeySize,
                maxSaeIdCount,
                saeIdentity);
    }

    public Etsi014Config withKeySizes(int defaultSize, int min, int max) {
        return new Etsi014Config(
                kmeId,
                bindAddress,
                port,
                kmeOfSae,
                linkOfPair,
                maxKeysPerRequest,
                maxKeyCount,
                defaultSize,
                min,
                max,
                maxSaeIdCount,
                saeIdentity);
    }

    public Etsi014Config withMaxSaeIdCount(int max) {
        return new Etsi014Config(
                kmeId,
                bindAddress,
                port,
                kmeOfSae,
                linkOfPair,
                maxKeysPerRequest,
                maxKeyCount,
                keySize,
                minKeySize,
                maxKeySize,
                max,
                saeIdentity);
    }

    public Etsi014Config withSaeIdentity(SaeIdentity identity) {
        return new Etsi014Config(
                kmeId,
                bindAddress,
                port,
                kmeOfSae,
                linkOfPair,
                maxKeysPerRequest,
                maxKeyCount,
                keySize,
                minKeySize,
                maxKeySize,
                maxSaeIdCount,
                identity);
    }

    boolean isLocal(String saeId) {
        return kmeId.equals(kmeOfSae.get(saeId));
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new KeyManagerException(Code.CONFIG, "ETSI 014 server configuration: " + message);
        }
    }
}
