package io.hotaru.bench.footprint;

import io.hotaru.agent.link.QrngRandomSource;
import io.hotaru.agent.link.ReceiverLink;
import io.hotaru.agent.link.TransmitterLink;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.PhotonSource;
import io.hotaru.drivers.Qrng;
import io.hotaru.drivers.SourceSettings;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.AliceSession;
import io.hotaru.keys.distill.BobSession;
import io.hotaru.keys.distill.DistillConfig;
import io.hotaru.keys.distill.cascade.CascadeReconciler;
import io.hotaru.keys.distill.protocol.InMemoryTransport;
import io.hotaru.sim.devices.SimLinkConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Footprint of a node running one simulated link in real time, link time following the wall clock
 * ({@code time_scale=1}), keys counted and zeroed instead of stored. Every second it samples the
 * heap used as the JVM reports it, the process's resident set (VmRSS) and its CPU time; at the end
 * it prints one JSON line: whether the receiver kept up (detections distilled against those the
 * simulated detectors delivered, measured before the run on a fast copy of the link since dead time
 * keeps them below the analytic rate; judged over the second half by {@link Backlog}: not falling
 * further behind), peak heap, peak RSS, CPU share, the CPU seconds spent per link second of
 * detections distilled (what a core must give to keep up, less sensitive to other load on a shared
 * machine than the share itself), and the share of the second half that the receiver's distiller
 * spent with no framed block to distil (its headroom: 0 when it falls behind).
 *
 * <p>Modes ({@code mode=}):
 *
 * <ul>
 *   <li>{@code bob}, {@code alice}: one node, as the issue asks. This JVM runs that end only
 *       ({@code bob}: the {@code sim:bob} time tagger with the simulated detector, framing and
 *       Bob's session; {@code alice}: the source's emission lookup and Alice's session); the other
 *       end runs in a child JVM pinned to {@code peer_cpus} (default 1), over the Netty peer
 *       channel on loopback with mutual TLS and Wegman–Carter tags ({@link SplitFootprint}).
 *   <li>{@code both} (default): both ends and the simulator in this JVM, the classical channel in
 *       memory, as {@code ./hotaru demo} runs them: the harder reading, two nodes on one core.
 * </ul>
 *
 * <p>Run it as the issue asks, on one core with 256 MB of heap:
 *
 * <pre>
 * mvn -o -B -pl bench -am package -DskipTests
 * taskset -c 0 java -Xmx256m -cp bench/target/benchmarks.jar io.hotaru.bench.footprint.LinkFootprint \
 *     [mode=both|bob|alice] [params=fibre-1ghz] [distance_km=50] [seconds=60] [block=1048576] \
 *     [peer_cpus=1] [peer_xmx=256m]
 * </pre>
 *
 * <p>The block size defaults to the daemon's ({@code block_detections}: 2²⁰, also the largest).
 */
public final class LinkFootprint {

    private LinkFootprint() {}

    public static void main(String[] args) throws Exception {
        String mode = arg(args, "mode", "both");
        switch (mode) {
            case "both" -> bothEnds(args);
            case "alice", "bob" -> SplitFootprint.run(mode, args);
            default -> {
                System.err.println("mode=" + mode + ": use mode=both, mode=bob or mode=alice");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    private static void bothEnds(String[] args) throws Exception {
        String params = arg(args, "params", "fibre-1ghz");
        String distance = arg(args, "distance_km", "");
        int seconds = Integer.parseInt(arg(args, "seconds", "60"));
        int block = FootprintLink.blockArg(args);
        String link = "link=footprint&seed=7&params=" + params + (distance.isEmpty() ? "" : "&distance_km=" + distance);
        FootprintLink footprintLink = new FootprintLink(params, distance, block);
        double analyticRate = footprintLink.analyticDetectionsPerSecond();
        double expectedRate = footprintLink.deliveredDetectionsPerSecond(0.5);

        Drivers drivers = Drivers.discover();
        PhotonSource source = drivers.open("sim:alice?" + link, PhotonSource.class);
        TimeTagger tagger = drivers.open("sim:bob?" + link, TimeTagger.class);
        Qrng qrng = drivers.open("sim:qrng?seed=99", Qrng.class);
        SourceSettings s = source.settings();
        double[] mu = s.intensities();
        double[] p = s.intensityProbabilities();
        var settings = io.hotaru.keys.distill.SourceSettings.of(mu[0], mu[1], p[0], p[1], p[2], s.zBasisProbability());
        InMemoryTransport.Pair channel = InMemoryTransport.pair();
        // One reconciler for both ends: its cache draws each public pass permutation once.
        CascadeReconciler reconciler = CascadeReconciler.original();
        AtomicLong keyBytes = new AtomicLong();
        TransmitterLink alice = new TransmitterLink(
                "footprint",
                source,
                new AliceSession(
                        DistillConfig.defaults(), settings, reconciler, new QrngRandomSource(qrng), channel.alice()),
                (id, blockId, key) -> discard(key, null));
        ReceiverLink bob = new ReceiverLink(
                "footprint",
                tagger,
                new BobSession(DistillConfig.defaults(), settings, reconciler, channel.bob()),
                (id, blockId, key) -> discard(key, keyBytes),
                s.slotPeriodPs(),
                block,
                7);

        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        alice.start();
        bob.start();
        long peakHeap = 0;
        long peakRss = 0;
        Backlog backlog = new Backlog(expectedRate, block, seconds);
        // wall, CPU seconds, detections distilled and the receiver's idle time at half time
        double[] half = {0, 0, 0, 0};
        for (int i = 1; i <= seconds; i++) {
            Thread.sleep(1000);
            long heap = memory.getHeapMemoryUsage().getUsed();
            long rss = ProcessFootprint.rssBytes();
            peakHeap = Math.max(peakHeap, heap);
            peakRss = Math.max(peakRss, rss);
            double elapsed = (System.nanoTime() - t0) / 1e9;
            long behind = backlog.sample(i, elapsed, bob.stats().detections());
            if (i == seconds / 2) {
                half = new double[] {
                    elapsed,
                    (os.getProcessCpuTime() - cpu0) / 1e9,
                    bob.stats().detections(),
                    bob.distillerIdleNanos() / 1e9
                };
            }
            System.err.printf(
                    Locale.ROOT,
                    "t=%3d s  blocks %4d  detections %,d (link made ~%,.0f, %.2f blocks behind)  heap %.1f MB  RSS %.1f MB%n",
                    i,
                    bob.stats().blocks(),
                    bob.stats().detections(),
                    expectedRate * elapsed,
                    behind / (double) block,
                    heap / 1e6,
                    rss / 1e6);
        }
        double wall = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = (os.getProcessCpuTime() - cpu0) / 1e9;
        double cpuShare = cpuSeconds / wall;
        long distilled = bob.stats().detections();
        double lastQber = bob.stats().lastQber();
        double idleShare = (bob.distillerIdleNanos() / 1e9 - half[3]) / (wall - half[0]);
        bob.close();
        alice.stopAfter(bob.startedBlocks(), Duration.ofSeconds(30));
        System.out.printf(
                Locale.ROOT,
                "{\"mode\":\"both\",\"measured\":\"both ends and the simulator in this JVM, channel in memory\",\"params\":\"%s\",\"distance_km\":%.1f,\"seconds\":%.1f,\"block_detections\":%d,"
                        + "\"analytic_detections_per_s\":%.0f,\"delivered_detections_per_s\":%.0f,\"distilled_detections_per_s\":%.0f,"
                        + "\"backlog_blocks_second_half\":%.2f,\"backlog_growth_blocks\":%.2f,\"keeps_up\":%s,\"blocks\":%d,\"aborted\":%d,\"last_abort\":\"%s\","
                        + "\"secret_bits_per_s\":%.0f,\"peak_heap_mb\":%.1f,\"peak_rss_mb\":%.1f,\"max_heap_mb\":%.1f,"
                        + "\"last_qber\":%.4f,\"cpu_share\":%.3f,\"cpu_s_per_link_s_distilled\":%.3f,"
                        + "\"second_half_cpu_share\":%.3f,\"second_half_cpu_s_per_link_s_distilled\":%.3f,"
                        + "\"second_half_distiller_idle_share\":%.3f,\"available_processors\":%d}%n",
                params,
                SimLinkConfig.parse("sim:bob?" + link).parameters().lengthKm(),
                wall,
                block,
                analyticRate,
                expectedRate,
                distilled / wall,
                backlog.worstBlocks(),
                backlog.growthBlocks(),
                backlog.keptUp(true),
                bob.stats().blocks(),
                bob.stats().abortedBlocks(),
                bob.stats().lastAbortReason(),
                bob.stats().secretBits() / wall,
                peakHeap / 1e6,
                peakRss / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6,
                lastQber,
                cpuShare,
                cpuSeconds / (distilled / expectedRate),
                (cpuSeconds - half[1]) / (wall - half[0]),
                (cpuSeconds - half[1]) / ((distilled - half[2]) / expectedRate),
                idleShare,
                Runtime.getRuntime().availableProcessors());
        source.close();
        tagger.close();
        qrng.close();
    }

    private static int discard(byte[] key, AtomicLong count) {
        if (count != null) {
            count.addAndGet(key.length);
        }
        Arrays.fill(key, (byte) 0);
        return 0;
    }

    private static String arg(String[] args, String name, String defaultValue) {
        return CommandArgs.get(args, name, defaultValue);
    }
}
