package io.hotaru.sim.orbit;

/**
 * A two-line element set that cannot be used: wrong length, bad checksum, a field that is not a
 * number or out of range, lines that do not belong together. The message names the TLE line (1 or
 * 2), the columns or field, and, for element sets read from a file, the source and its line number.
 */
public final class TleFormatException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int tleLine;
    private final String source;
    private final int sourceLine;
    private final String reason;

    TleFormatException(int tleLine, String reason) {
        this(tleLine, reason, null, 0);
    }

    private TleFormatException(int tleLine, String reason, String source, int sourceLine) {
        super(message(tleLine, reason, source, sourceLine));
        this.tleLine = tleLine;
        this.reason = reason;
        this.source = source;
        this.sourceLine = sourceLine;
    }

    /** The same error, located at {@code sourceLine} (1-based) of {@code source}. */
    TleFormatException at(String source, int sourceLine) {
        return new TleFormatException(tleLine, reason, source, sourceLine);
    }

    /** 1 or 2 for an error in that line of the element set, 0 for an error about the set as a whole. */
    public int tleLine() {
        return tleLine;
    }

    /** The file or other source the element set was read from, or {@code null}. */
    public String source() {
        return source;
    }

    /** The 1-based line number in {@link #source()}, or 0 if unknown. */
    public int sourceLine() {
        return sourceLine;
    }

    private static String message(int tleLine, String reason, String source, int sourceLine) {
        StringBuilder message = new StringBuilder();
        if (source != null) {
            message.append(source).append(':');
            if (sourceLine > 0) {
                message.append(sourceLine).append(':');
            }
            message.append(' ');
        }
        message.append(tleLine == 0 ? "TLE: " : "TLE line " + tleLine + ": ");
        return message.append(reason).toString();
    }
}
