package io.hotaru.agent.config;

import java.nio.file.Path;

/**
 * A configuration file that cannot be used. The message names the file, the line (when known), the
 * key and the reason: {@code node.yaml:12: links[0].block_detections: must be in [1024, 1048576], got 5}.
 */
public final class ConfigException extends RuntimeException {

    private final Path file;
    private final int line;
    private final String key;

    public ConfigException(Path file, int line, String key, String reason) {
        super(file + (line > 0 ? ":" + line : "") + ": " + (key.isEmpty() ? "" : key + ": ") + reason);
        this.file = file;
        this.line = line;
        this.key = key;
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 if unknown. */
    public int line() {
        return line;
    }

    /** Dotted path of the offending key, e.g. {@code links[0].role}; empty for the whole file. */
    public String key() {
        return key;
    }
}
