package io.hotaru.agent.monitor;

/**
 * Looks at each block and says whether it shows the signature of an attack. Implementations are
 * pure and keep their own windows; one instance per link.
 */
public interface AttackMonitor {

    /** The alarm kind this monitor raises, e.g. {@code blinding}; also its MQTT topic leaf. */
    String kind();

    /** Judges one block. */
    Verdict observe(BlockObservation block);

    /** A monitor's judgement of one block. */
    record Verdict(boolean suspicious, String detail) {
        public static Verdict clean(String detail) {
            return new Verdict(false, detail);
        }

        public static Verdict alarm(String detail) {
            return new Verdict(true, detail);
        }
    }
}
