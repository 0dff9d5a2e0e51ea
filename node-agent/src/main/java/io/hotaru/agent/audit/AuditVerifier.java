package io.hotaru.agent.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks an audit log's hash chain record by record. */
public final class AuditVerifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Outcome of a verification.
     *
     * @param intact whether every record checks out
     * @param records records read (up to the first problem)
     * @param lastHash hash of the last good record
     * @param problemLine 1-based line of the first problem, 0 if none
     * @param problem what is wrong there, empty if intact
     */
    public record Result(boolean intact, long records, String lastHash, long problemLine, String problem) {}

    private AuditVerifier() {}

    public static Result verify(Path file) {
        long line = 0;
        String prev = AuditRecord.GENESIS;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String text;
            while ((text = in.readLine()) != null) {
                line++;
                String problem = check(text, line, prev);
                if (problem != null) {
                    return new Result(false, line - 1, prev, line, problem);
                }
                prev = text.substring(
                        text.lastIndexOf(AuditRecord.HASH_FIELD) + AuditRecord.HASH_FIELD.length(), text.length() - 2);
            }
        } catch (IOException e) {
            return new Result(false, line, prev, line + 1, "cannot read: " + e.getMessage());
        }
        return new Result(true, line, prev, 0, "");
    }

    private static String check(String text, long line, String prev) {
        int at = text.lastIndexOf(AuditRecord.HASH_FIELD);
        if (at < 0 || !text.endsWith("\"}")) {
            return "not an audit record (no hash field); the line was edited or truncated";
        }
        String prefix = text.substring(0, at);
        String hash = text.substring(at + AuditRecord.HASH_FIELD.length(), text.length() - 2);
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (IOException e) {
            return "not valid JSON; the line was edited or truncated";
        }
        if (!AuditRecord.sha256(prefix).equals(hash)) {
            return "hash does not match the record; the record was edited";
        }
        long seq = node.path("seq").asLong(-1);
        if (seq != line) {
            return "sequence number " + seq + " where " + line + " was expected; a record was removed,"
                    + " inserted or moved";
        }
        if (!prev.equals(node.path("prev").asText())) {
            return "does not follow the previous record's hash; a record was removed, inserted or moved";
        }
        return null;
    }
}
