package io.hotaru.sim.params;

/** A parameter set that cannot be read: names the file, the field and, when known, the line. */
public final class ParameterSetException extends IllegalArgumentException {

    private final String file;
    private final String field;
    private final int line;

    public ParameterSetException(String file, String field, int line, String reason) {
        super(file + (line > 0 ? ":" + line : "") + (field.isEmpty() ? "" : ": " + field) + ": " + reason);
        this.file = file;
        this.field = field;
        this.line = line;
    }

    public String file() {
        return file;
    }

    /** Dotted path of the field, e.g. {@code detector.efficiency}; empty for the whole file. */
    public String field() {
        return field;
    }

    /** 1-based line, or 0 when unknown. */
    public int line() {
        return line;
    }
}
