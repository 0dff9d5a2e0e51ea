package io.hotaru.agent.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows the nodes' audit logs (one JSON record per line, docs/architecture.md) for the dashboard's
 * audit tail: the first poll reads the last records of each file, later polls what was appended.
 * Only {@code seq}, {@code time}, {@code kind} and {@code subject} are shown; a partial last line is
 * read on the next poll. Not thread-safe: one poller.
 */
public final class AuditTail {

    /** Bytes read from the end of a file on the first poll. */
    static final int FIRST_READ_BYTES = 16 * 1024;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Path> files;
    private final Map<String, Long> positions = new LinkedHashMap<>();

    /** @param files each node's audit log, by node id */
    public AuditTail(Map<String, Path> files) {
        this.files = Map.copyOf(files);
    }

    /** Reads what is new in every file and adds it to {@code state}. */
    public void poll(DashboardState state) {
        files.forEach((node, file) -> {
            List<ObjectNode> records = readNew(node, file);
            if (!records.isEmpty()) {
                state.addAudit(node, records);
            }
        });
    }

    private List<ObjectNode> readNew(String node, Path file) {
        if (!Files.isRegularFile(file)) {
            return List.of();
        }
        List<ObjectNode> out = new ArrayList<>();
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            Long known = positions.get(node);
            boolean first = known == null;
            long from = first ? Math.max(0, length - FIRST_READ_BYTES) : known;
            if (from > length) {
                from = 0; // the file was replaced
            }
            byte[] bytes = new byte[(int) Math.min(length - from, 4L * FIRST_READ_BYTES)];
            f.seek(from);
            f.readFully(bytes);
            int end = lastNewline(bytes);
            positions.put(node, from + end + 1);
            String text = new String(bytes, 0, end + 1, StandardCharsets.UTF_8);
            String[] lines = text.split("\n");
            int start = first && from > 0 ? 1 : 0; // a cut first line
            for (int i = start; i < lines.length; i++) {
                ObjectNode r = record(lines[i]);
                if (r != null) {
                    out.add(r);
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        int keep = DashboardState.AUDIT_TAIL;
        return out.size() > keep ? out.subList(out.size() - keep, out.size()) : out;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static ObjectNode record(String line) {
        if (line.isBlank()) {
            return null;
        }
        try {
            JsonNode j = JSON.readTree(line);
            if (j == null || !j.isObject()) {
                return null;
            }
            ObjectNode r = JSON.createObjectNode();
            r.put("seq", j.path("seq").asLong());
            r.put("time", j.path("time").asText());
            r.put("kind", j.path("kind").asText());
            r.put("subject", j.path("subject").asText());
            return r;
        } catch (IOException e) {
            return null;
        }
    }
}
