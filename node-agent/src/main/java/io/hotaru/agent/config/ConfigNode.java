package io.hotaru.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.hotaru.agent.cli.DurationConverter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import picocli.CommandLine;

/**
 * A node of a configuration tree with typed, validated accessors. Every failure is a {@link
 * ConfigException} naming file, line, key and reason; nothing falls back to a default silently.
 */
final class ConfigNode {

    private final YamlTree tree;
    private final JsonNode node;
    private final String path;

    ConfigNode(YamlTree tree, JsonNode node, String path) {
        this.tree = tree;
        this.node = node;
        this.path = path;
    }

    String path() {
        return path;
    }

    ConfigException error(String reason) {
        return new ConfigException(tree.file(), tree.lineOf(path), path, reason);
    }

    private String child(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /** Fails on any key not in {@code known}, naming the first unknown one and the known ones. */
    ConfigNode onlyKeys(String... known) {
        requireObject();
        Set<String> allowed = Set.of(known);
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ConfigException(
                        tree.file(),
                        tree.lineOf(child(name)),
                        child(name),
                        "unknown key; known keys here: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return this;
    }

    private void requireObject() {
        if (!node.isObject()) {
            throw error("must be a mapping of keys to values");
        }
    }

    Optional<ConfigNode> optional(String key) {
        requireObject();
        JsonNode v = node.get(key);
        return v == null || v.isNull() ? Optional.empty() : Optional.of(new ConfigNode(tree, v, child(key)));
    }

    ConfigNode required(String key) {
        return optional(key).orElseThrow(() -> error("missing required key '" + key + "'"));
    }

    String text() {
        if (!node.isTextual() && !node.isNumber() && !node.isBoolean()) {
            throw error("must be a single value, not a " + (node.isArray() ? "list" : "mapping"));
        }
        String s = node.asText().trim();
        if (s.isEmpty()) {
            throw error("must not be empty");
        }
        return s;
    }

    String identifier() {
        String s = text();
        if (!s.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw error("'" + s + "' is not a valid id (letters, digits, '.', '_', '-'; at most 64)");
        }
        return s;
    }

    long integer(long min, long max) {
        if (!node.isIntegralNumber()) {
            throw error("must be an integer, got '" + node.asText() + "'");
        }
        long v = node.asLong();
        if (v < min || v > max) {
            throw error("must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    double number(double min, double max) {
        if (!node.isNumber()) {
            throw error("must be a number, got '" + node.asText() + "'");
        }
        double v = node.asDouble();
        if (!(v >= min && v <= max)) {
            throw error("must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    Duration duration(Duration min, Duration max) {
        Duration d;
        try {
            d = DurationConverter.parse(text());
        } catch (CommandLine.TypeConversionException e) {
            throw error(e.getMessage());
        }
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw error("must be between " + min + " and " + max + ", got " + d);
        }
        return d;
    }

    <E extends Enum<E>> E choice(Class<E> type) {
        String s = text();
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(s.replace('-', '_'))) {
                return e;
            }
        }
        List<String> names = new ArrayList<>();
        for (E e : type.getEnumConstants()) {
            names.add(e.name().toLowerCase(java.util.Locale.ROOT));
        }
        throw error("'" + s + "' is not one of " + String.join(", ", names));
    }

    <T> List<T> list(Function<ConfigNode, T> item) {
        if (!node.isArray()) {
            throw error("must be a list");
        }
        List<T> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            out.add(item.apply(new ConfigNode(tree, node.get(i), path + "[" + i + "]")));
        }
        return out;
    }

    /** The entries of a mapping, each as (key, node). */
    List<ConfigNode> entries() {
        requireObject();
        List<ConfigNode> out = new ArrayList<>();
        node.fieldNames().forEachRemaining(k -> out.add(new ConfigNode(tree, node.get(k), child(k))));
        return out;
    }

    /** The last segment of this node's path (the key of a mapping entry). */
    String key() {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? path : path.substring(dot + 1);
    }
}
