package io.hotaru.agent.monitor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a link's monitors over each block and keeps the set of active alarms. An alarm is raised by
 * the first suspicious block and cleared only after {@code clearAfter} clean blocks in a row. A
 * block is flagged (no key from it may be stored) when any monitor found it suspicious or any alarm
 * is active.
 */
public final class AlarmBoard {

    /** A change of an alarm's state. */
    public record AlarmChange(String kind, boolean active, long blockId, String detail) {}

    /** The board's judgement of one block. */
    public record Outcome(boolean flagged, List<AlarmChange> changes, Map<String, String> details) {}

    private final List<AttackMonitor> monitors;
    private final int clearAfter;
    private final Map<String, Integer> cleanRun = new LinkedHashMap<>();
    private final Map<String, String> active = new LinkedHashMap<>();

    public AlarmBoard(List<AttackMonitor> monitors, int clearAfter) {
        if (clearAfter < 1) {
            throw new IllegalArgumentException("clearAfter must be >= 1 block");
        }
        this.monitors = List.copyOf(monitors);
        this.clearAfter = clearAfter;
    }

    public synchronized Outcome observe(BlockObservation block) {
        boolean suspicious = false;
        List<AlarmChange> changes = new ArrayList<>();
        Map<String, String> details = new LinkedHashMap<>();
        for (AttackMonitor m : monitors) {
            AttackMonitor.Verdict v = m.observe(block);
            details.put(m.kind(), v.detail());
            if (v.suspicious()) {
                suspicious = true;
                cleanRun.put(m.kind(), 0);
                if (active.put(m.kind(), v.detail()) == null) {
                    changes.add(new AlarmChange(m.kind(), true, block.blockId(), v.detail()));
                }
            } else if (active.containsKey(m.kind())) {
                int run = cleanRun.merge(m.kind(), 1, Integer::sum);
                if (run >= clearAfter) {
                    active.remove(m.kind());
                    changes.add(new AlarmChange(m.kind(), false, block.blockId(), v.detail()));
                }
            }
        }
        boolean flagged = suspicious || !active.isEmpty() || changes.stream().anyMatch(c -> !c.active());
        return new Outcome(flagged, changes, details);
    }

    /** Active alarms by kind, with the detail that raised them. */
    public synchronized Map<String, String> activeAlarms() {
        return Map.copyOf(active);
    }
}
