package io.hotaru.agent.mqtt;

/** Alarm severity (ITU-T X.733 perceived severity, lower case on the wire). */
public enum Severity {
    WARNING,
    MINOR,
    MAJOR,
    CRITICAL;

    public String wire() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
