package io.hotaru.agent.topology;

/**
 * A topology file that cannot be used. The message names the source, the line (when known) and the
 * reason: {@code tokyo.yaml:14: fibre_links[2].b: unknown node 'hongo2'; nodes: hakusan, hongo, ...}.
 */
public final class TopologyException extends RuntimeException {

    private final String source;
    private final int line;

    public TopologyException(String source, int line, String reason) {
        super(source + (line > 0 ? ":" + line : "") + ": " + reason);
        this.source = source;
        this.line = line;
    }

    /** The file (or resource) name. */
    public String source() {
        return source;
    }

    /** 1-based line, or 0 if unknown. */
    public int line() {
        return line;
    }
}
