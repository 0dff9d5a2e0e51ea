package io.hotaru.agent.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/**
 * One line of the audit log: a JSON object whose last field, {@code hash}, is the SHA-256 of the
 * line's bytes before {@code ,"hash":} — which include {@code prev}, the hash of the record before.
 * Editing, removing or reordering a record therefore breaks the chain.
 */
final class AuditRecord {

    static final String GENESIS = "0".repeat(64);
    static final String HASH_FIELD = ",\"hash\":\"";
    private static final ObjectMapper JSON = new ObjectMapper();

    private AuditRecord() {}

    /** Formats a record: the line (without newline) and its hash. */
    static String[] format(long seq, String time, String kind, String subject, Map<String, ?> detail, String prev) {
        ObjectNode node = JSON.createObjectNode();
        node.put("seq", seq);
        node.put("time", time);
        node.put("kind", kind);
        node.put("subject", subject);
        node.set("detail", JSON.valueToTree(detail));
        node.put("prev", prev);
        String body;
        try {
            body = JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("audit detail cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
        String prefix = body.substring(0, body.length() - 1);
        String hash = sha256(prefix);
        return new String[] {prefix + HASH_FIELD + hash + "\"}", hash};
    }

    static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
