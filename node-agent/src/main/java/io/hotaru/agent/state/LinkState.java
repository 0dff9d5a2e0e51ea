package io.hotaru.agent.state;

/**
 * States of one link. Key output happens only in {@link #KEYGEN}; {@link #ALIGN} is service mode
 * (diagnostics may be exchanged, never key).
 */
public enum LinkState {
    INIT,
    SELFTEST,
    READY,
    ALIGN,
    KEYGEN,
    ALARM,
    STOPPED;

    /** Whether blocks distilled in this state may reach the key store. */
    public boolean outputsKey() {
        return this == KEYGEN;
    }
}
