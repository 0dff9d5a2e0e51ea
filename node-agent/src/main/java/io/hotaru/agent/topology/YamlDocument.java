package io.hotaru.agent.topology;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read as a tree, with the line of every key and list item ({@code a.b[2].c}), so
 * that validation errors can name the line. Duplicate keys are refused while reading.
 */
final class YamlDocument {

    private final String source;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private YamlDocument(String source, JsonNode root, Map<String, Integer> lines) {
        this.source = source;
        this.root = root;
        this.lines = lines;
    }

    static YamlDocument parse(String source, byte[] bytes) {
        YAMLFactory factory = YAMLFactory.builder().build();
        ObjectMapper mapper = new ObjectMapper(factory);
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new TopologyException(
                    source, at == null ? 0 : at.getLineNr(), "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new TopologyException(source, 0, "cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new TopologyException(source, 0, "the file is empty");
        }
        return new YamlDocument(source, root, lineIndex(factory, bytes));
    }

    String source() {
        return source;
    }

    JsonNode root() {
        return root;
    }

    /** The line of {@code path}, or of its nearest ancestor that has one; 0 if none. */
    int lineOf(String path) {
        String p = path;
        while (true) {
            Integer line = lines.get(p);
            if (line != null) {
                return line;
            }
            if (p.isEmpty()) {
                return 0;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }

    TopologyException error(String path, String reason) {
        return new TopologyException(source, lineOf(path), (path.isEmpty() ? "" : path + ": ") + reason);
    }

    private static Map<String, Integer> lineIndex(YAMLFactory factory, byte[] bytes) {
        Map<String, Integer> lines = new HashMap<>();
        Deque<String> containers = new ArrayDeque<>();
        Deque<Integer> nextItem = new ArrayDeque<>(); // next list index, or -1 inside a mapping
        String field = null;
        try (JsonParser p = factory.createParser(bytes)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    field = p.currentName();
                    lines.putIfAbsent(child(containers.peek(), field), line);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    containers.pop();
                    nextItem.pop();
                    continue;
                }
                String path;
                if (nextItem.isEmpty()) {
                    path = "";
                } else if (nextItem.peek() >= 0) {
                    int i = nextItem.pop();
                    nextItem.push(i + 1);
                    path = containers.peek() + "[" + i + "]";
                    lines.putIfAbsent(path, line);
                } else {
                    path = child(containers.peek(), field);
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    containers.push(path);
                    nextItem.push(t == JsonToken.START_ARRAY ? 0 : -1);
                }
            }
        } catch (IOException e) {
            // the tree was read already; the line index only improves messages
        }
        return lines;
    }

    static String child(String parent, String field) {
        return parent == null || parent.isEmpty() ? field : parent + "." + field;
    }
}
