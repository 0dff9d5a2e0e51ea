package io.hotaru.keys.etsi014;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The ETSI GS QKD 014 JSON documents other than the key container, and their mapper. */
final class Etsi014Json {
    static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Etsi014Json() {}

    record Status(
            @JsonProperty("source_KME_ID") String sourceKmeId,
            @JsonProperty("target_KME_ID") String targetKmeId,
            @JsonProperty("master_SAE_ID") String masterSaeId,
            @JsonProperty("slave_SAE_ID") String slaveSaeId,
            @JsonProperty("key_size") int keySize,
            @JsonProperty("stored_key_count") long storedKeyCount,
            @JsonProperty("max_key_count") long maxKeyCount,
            @JsonProperty("max_key_per_request") int maxKeyPerRequest,
            @JsonProperty("max_key_size") int maxKeySize,
            @JsonProperty("min_key_size") int minKeySize,
            @JsonProperty("max_SAE_ID_count") int maxSaeIdCount) {}

    /** Body of POST enc_keys. */
    record KeyRequest(
            @JsonProperty("number") Integer number,
            @JsonProperty("size") Integer size,
            @JsonProperty("additional_slave_SAE_IDs") List<String> additionalSlaveSaeIds,
            @JsonProperty("extension_mandatory") List<Map<String, Object>> extensionMandatory,
            @JsonProperty("extension_optional") List<Map<String, Object>> extensionOptional) {}

    /** Body of POST dec_keys. */
    record KeyIds(
            @JsonProperty("key_IDs") List<KeyIdEntry> keyIds,
            @JsonProperty("key_IDs_extension") Map<String, Object> keyIdsExtension) {}

    record KeyIdEntry(
            @JsonProperty("key_ID") String keyId,
            @JsonProperty("key_ID_extension") Object keyIdExtension) {}

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Error(
            @JsonProperty("message") String message,
            @JsonProperty("details") List<Map<String, Object>> details) {}

    static byte[] write(Object document) {
        try {
            return MAPPER.writeValueAsBytes(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(
                    "cannot serialise " + document.getClass().getSimpleName(), e);
        }
    }

    /** Parses a request body; any malformation is a 400 whose message names the document. */
    static <T> T read(byte[] body, Class<T> type, String what) {
        if (body.length == 0) {
            throw ApiError.badRequest(what + " body is missing");
        }
        try {
            T value = MAPPER.readValue(body, type);
            if (value == null) {
                throw ApiError.badRequest(what + " body must be a JSON object");
            }
            return value;
        } catch (IOException e) {
            throw ApiError.badRequest(what + " body is not valid JSON of the expected shape");
        }
    }
}
