package io.hotaru.agent.dashboard;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** Receives the dashboard's changes as named JSON events, in order. */
@FunctionalInterface
public interface DashboardEvents {

    /**
     * One change: {@code snapshot} (the whole state, first), then {@code telemetry}, {@code status},
     * {@code alarm}, {@code audit} or {@code pass}. Called with the state's lock held: must not block.
     */
    void event(String name, ObjectNode data);
}
