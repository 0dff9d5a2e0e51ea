package io.hotaru.agent.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * A YAML document read once as a tree, plus the line of every key and list item, so that
 * validation errors can name the line.
 */
final class YamlTree {

    static final long MAX_BYTES = 1 << 20;

    private final Path file;
    private final JsonNode root;
    private final Map<String, Integer> lines;

    private YamlTree(Path file, JsonNode root, Map<String, Integer> lines) {
        this.file = file;
        this.root = root;
        this.lines = lines;
    }

    /** Configured once: both are thread-safe and costly to build. */
    private static final YAMLFactory FACTORY = YAMLFactory.builder().build();

    private static final ObjectMapper MAPPER =
            new ObjectMapper(FACTORY).enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    static YamlTree read(Path file) {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(
                        file, 0, "", "larger than " + (MAX_BYTES >> 10) + " KiB; not a configuration");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file, 0, "", "no such file");
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read: " + e.getMessage());
        }
        return parse(file, bytes);
    }

    /** Parses {@code bytes} as the content of {@code file} (named in errors). */
    static YamlTree parse(Path file, byte[] bytes) {
        if (bytes.length > MAX_BYTES) {
            throw new ConfigException(file, 0, "", "larger than " + (MAX_BYTES >> 10) + " KiB; not a configuration");
        }
        YAMLFactory factory = FACTORY;
        ObjectMapper mapper = MAPPER;
        JsonNode root;
        try {
            root = mapper.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new ConfigException(
                    file,
                    at == null ? 1 : Math.max(1, at.getLineNr()),
                    "",
                    "not valid YAML: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigException(file, 0, "", "cannot read: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            throw new ConfigException(file, 1, "", "the file is empty");
        }
        return new YamlTree(file, root, lineIndex(factory, bytes));
    }

    /** Maps each path ({@code a.b[2].c}) to the 1-based line where its key or item starts. */
    private static Map<String, Integer> lineIndex(YAMLFactory factory, byte[] bytes) {
        Map<String, Integer> lines = new HashMap<>();
        Deque<String> containers = new ArrayDeque<>(); // path of each open container
        Deque<Integer> indexes = new ArrayDeque<>(); // next item index, or -1 in an object
        String pendingField = null;
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (t == JsonToken.FIELD_NAME) {
                    pendingField = p.currentName();
                    String path = join(containers.peek(), pendingField);
                    lines.putIfAbsent(path, line);
                    continue;
                }
                if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    containers.pop();
                    indexes.pop();
                    continue;
                }
                String path;
                if (indexes.isEmpty()) {
                    path = "";
                } else if (indexes.peek() >= 0) {
                    int i = indexes.pop();
                    indexes.push(i + 1);
                    path = (containers.peek() == null ? "" : containers.peek()) + "[" + i + "]";
                    lines.putIfAbsent(path, line);
                } else {
                    path = join(containers.peek(), pendingField);
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    containers.push(path);
                    indexes.push(t == JsonToken.START_ARRAY ? 0 : -1);
                }
            }
        } catch (IOException e) {
            // the tree was read already; a line index is a convenience
        }
        return lines;
    }

    private static String join(String parent, String field) {
        return parent == null || parent.isEmpty() ? field : parent + "." + field;
    }

    Path file() {
        return file;
    }

    ConfigNode root() {
        return new ConfigNode(this, root, "");
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
                return 1; // the document itself starts on the first line
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut < 0 ? "" : p.substring(0, cut);
        }
    }
}
