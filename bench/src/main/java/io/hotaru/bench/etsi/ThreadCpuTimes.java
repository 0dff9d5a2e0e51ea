package io.hotaru.bench.etsi;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads grouped by name (digits dropped), between two snapshots: which
 * stage of the load (driver, TLS/HTTP I/O, store writer, request workers) spends the cores.
 */
final class ThreadCpuTimes {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Map<Long, Long> nanosById = new TreeMap<>();
    private final Map<Long, String> groupById = new TreeMap<>();

    static ThreadCpuTimes snapshot() {
        ThreadCpuTimes times = new ThreadCpuTimes();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            long nanos = THREADS.getThreadCpuTime(thread.getId());
            if (nanos >= 0) {
                times.nanosById.put(thread.getId(), nanos);
                times.groupById.put(thread.getId(), thread.getName().replaceAll("[0-9]+", "#"));
            }
        }
        return times;
    }

    /** CPU milliseconds per group spent since {@code before}. */
    Map<String, Double> millisSince(ThreadCpuTimes before) {
        Map<String, Double> byGroup = new TreeMap<>();
        nanosById.forEach((id, nanos) -> {
            long spent = nanos - before.nanosById.getOrDefault(id, 0L);
            byGroup.merge(groupById.get(id), spent / 1e6, Double::sum);
        });
        return byGroup;
    }
}
