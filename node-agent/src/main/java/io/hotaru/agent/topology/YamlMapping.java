package io.hotaru.agent.topology;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** A mapping of a {@link YamlDocument} with typed accessors whose failures name the line and key. */
final class YamlMapping {

    private final YamlDocument doc;
    private final JsonNode node;
    private final String path;

    YamlMapping(YamlDocument doc, JsonNode node, String path) {
        this.doc = doc;
        this.node = node;
        this.path = path;
        if (!node.isObject()) {
            throw doc.error(path, "must be a mapping of keys to values");
        }
    }

    String path() {
        return path;
    }

    String pathOf(String key) {
        return YamlDocument.child(path, key);
    }

    TopologyException error(String key, String reason) {
        return doc.error(key == null ? path : pathOf(key), reason);
    }

    /** Fails on the first key not in {@code known}, listing the known ones. */
    void onlyKeys(Set<String> known) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                throw error(name, "unknown key; known keys here: " + String.join(", ", new TreeSet<>(known)));
            }
        }
    }

    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    private JsonNode required(String key) {
        if (!has(key)) {
            throw error(null, "missing required key '" + key + "'");
        }
        return node.get(key);
    }

    String text(String key) {
        JsonNode v = required(key);
        if (!v.isValueNode()) {
            throw error(key, "must be a single value, not a " + (v.isArray() ? "list" : "mapping"));
        }
        String s = v.asText().trim();
        if (s.isEmpty()) {
            throw error(key, "must not be empty");
        }
        return s;
    }

    String textOr(String key, String fallback) {
        return has(key) ? text(key) : fallback;
    }

    double number(String key, double min, double max) {
        JsonNode v = required(key);
        if (!v.isNumber()) {
            throw error(key, "must be a number, got '" + v.asText() + "'");
        }
        double d = v.asDouble();
        if (!(d >= min && d <= max)) {
            throw error(key, "must be in [" + min + ", " + max + "], got " + d);
        }
        return d;
    }

    double numberOr(String key, double min, double max, double fallback) {
        return has(key) ? number(key, min, max) : fallback;
    }

    int integer(String key, int min, int max) {
        JsonNode v = required(key);
        if (!v.isIntegralNumber()) {
            throw error(key, "must be an integer, got '" + v.asText() + "'");
        }
        long i = v.asLong();
        if (i < min || i > max) {
            throw error(key, "must be in [" + min + ", " + max + "], got " + i);
        }
        return (int) i;
    }

    /** The items of a list, each a mapping; an absent key is an empty list. */
    List<YamlMapping> mappings(String key) {
        if (!has(key)) {
            return List.of();
        }
        JsonNode v = node.get(key);
        if (!v.isArray()) {
            throw error(key, "must be a list");
        }
        List<YamlMapping> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            out.add(new YamlMapping(doc, v.get(i), pathOf(key) + "[" + i + "]"));
        }
        return out;
    }
}
