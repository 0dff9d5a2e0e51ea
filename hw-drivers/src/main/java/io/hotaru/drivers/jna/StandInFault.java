package io.hotaru.drivers.jna;

/** Faults a native stand-in injects on demand; the codes match {@code hotaru_standin.h}. */
public enum StandInFault {
    CLEAR(0),
    FIFO_OVERFLOW(1),
    SYNC_LOST(2),
    UNPLUGGED(3),
    NOT_CONNECTED(4),
    SHORT_READ(5),
    DATA_LOST(6),
    EVENTS_PER_READ(7),
    AIS31_REQUEST(8),
    MODULE_FAILED(9);

    private final int code;

    StandInFault(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
