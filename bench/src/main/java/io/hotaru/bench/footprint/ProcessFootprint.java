package io.hotaru.bench.footprint;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This process's footprint, sampled by the caller once a second: peak heap used (as the JVM reports
 * it), peak resident set ({@code VmRSS}) and the process's CPU time since {@link #start()}.
 */
final class ProcessFootprint {
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final com.sun.management.OperatingSystemMXBean os =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private long cpu0;
    private long t0;
    private long peakHeap;
    private long peakRss;
    private long lastHeap;
    private long lastRss;

    void start() {
        cpu0 = os.getProcessCpuTime();
        t0 = System.nanoTime();
    }

    void sample() {
        lastHeap = memory.getHeapMemoryUsage().getUsed();
        lastRss = rssBytes();
        peakHeap = Math.max(peakHeap, lastHeap);
        peakRss = Math.max(peakRss, lastRss);
    }

    double elapsedSeconds() {
        return (System.nanoTime() - t0) / 1e9;
    }

    double cpuSeconds() {
        return (os.getProcessCpuTime() - cpu0) / 1e9;
    }

    long lastHeap() {
        return lastHeap;
    }

    long lastRss() {
        return lastRss;
    }

    long peakHeap() {
        return peakHeap;
    }

    long peakRss() {
        return peakRss;
    }

    static long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
