package io.hotaru.bench.etsi;

import com.sun.management.OperatingSystemMXBean;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * CPU time of this JVM's threads grouped by name (digits dropped), between two snapshots: which
 * stage of the load (driver, TLS/HTTP I/O, store writer, request workers) spends the cores. Also
 * the whole process's CPU time, which counts the threads the JVM hides from that list (JIT
 * compilers, GC), and the time the JIT compilers report.
 */
final class ThreadCpuTimes {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final CompilationMXBean JIT = ManagementFactory.getCompilationMXBean();

    private final Map<Long, Long> nanosById = new TreeMap<>();
    private final Map<Long, String> groupById = new TreeMap<>();
    private long processNanos = -1;
    private long jitMillis = -1;

    static ThreadCpuTimes snapshot() {
        ThreadCpuTimes times = new ThreadCpuTimes();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            long nanos = THREADS.getThreadCpuTime(thread.getId());
            if (nanos >= 0) {
                times.nanosById.put(thread.getId(), nanos);
                times.groupById.put(thread.getId(), thread.getName().replaceAll("[0-9]+", "#"));
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean os) {
            times.processNanos = os.getProcessCpuTime();
        }
        if (JIT != null && JIT.isCompilationTimeMonitoringSupported()) {
            times.jitMillis = JIT.getTotalCompilationTime();
        }
        return times;
    }

    /** CPU milliseconds of the whole process since {@code before}, or -1 if the JVM cannot tell. */
    double processMillisSince(ThreadCpuTimes before) {
        return processNanos < 0 || before.processNanos < 0 ? -1 : (processNanos - before.processNanos) / 1e6;
    }

    /** Milliseconds the JIT compilers spent since {@code before}, or -1 if the JVM cannot tell. */
    long jitMillisSince(ThreadCpuTimes before) {
        return jitMillis < 0 || before.jitMillis < 0 ? -1 : jitMillis - before.jitMillis;
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
