package io.hotaru.agent.mqtt;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Remembers the answer to every authenticated command id until the command would be rejected as
 * expired anyway, so a QoS 1 redelivery or an operator's retry gets the first answer again and
 * executes nothing. Bounded: when full, new commands are refused (never forgotten early).
 */
final class CommandLedger {

    private record Entry(Instant forgetAfter, CommandResponse response) {}

    private final int capacity;
    private final Map<String, Entry> entries = new HashMap<>();
    private int sincePurge;

    CommandLedger(int capacity) {
        this.capacity = capacity;
    }

    /** The first answer for {@code key}, or null if unseen. */
    CommandResponse find(String key, Instant now) {
        Entry e = entries.get(key);
        return e == null ? null : e.response();
    }

    /** Whether a new entry fits (after dropping entries that can no longer be replayed). */
    boolean hasRoom(Instant now) {
        if (entries.size() >= capacity || ++sincePurge >= 256) {
            sincePurge = 0;
            entries.values().removeIf(e -> e.forgetAfter().isBefore(now));
        }
        return entries.size() < capacity;
    }

    void remember(String key, Instant forgetAfter, CommandResponse response) {
        entries.put(key, new Entry(forgetAfter, response));
    }

    int size() {
        return entries.size();
    }
}
