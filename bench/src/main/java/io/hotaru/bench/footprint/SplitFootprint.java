package io.hotaru.bench.footprint;

import io.hotaru.keys.peer.NettyPeerTransport;
import io.hotaru.keys.peer.PeerServer;
import io.hotaru.keys.pki.Pki;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One node's footprint: this JVM runs one end of the link ({@code alice}: emission lookup and
 * Alice's session; {@code bob}: the {@code sim:bob} time tagger, framing and Bob's session), the
 * other end runs in a child JVM ({@link FootprintPeer}) pinned to other cores, and the two talk
 * over the Netty peer channel on loopback with mutual TLS and Wegman–Carter tags, as two {@code
 * ./hotaru node} processes do. Pinning this JVM ({@code taskset -c 0}) pins only the measured node.
 */
final class SplitFootprint {
    private SplitFootprint() {}

    static void run(String measured, String[] args) throws Exception {
        FootprintLink link = FootprintLink.fromArgs(args);
        int seconds = Integer.parseInt(CommandArgs.get(args, "seconds", "60"));
        String peerCpus = CommandArgs.get(args, "peer_cpus", "1");
        String peerXmx = CommandArgs.get(args, "peer_xmx", "256m");
        String peerRole = measured.equals("bob") ? "alice" : "bob";
        double analyticRate = link.analyticDetectionsPerSecond();
        double expectedRate = link.deliveredDetectionsPerSecond(0.5);

        Path pkiDir = Files.createTempDirectory("footprint-pki");
        Pki.create(pkiDir, FootprintLink.KMES, List.of());
        PeerServer server =
                PeerServer.bind(new InetSocketAddress("127.0.0.1", 0), FootprintLink.peerConfig(pkiDir, measured));
        Process peer = startPeer(peerRole, server.localAddress().getPort(), pkiDir, link, peerCpus, peerXmx, seconds);
        CompletableFuture<String> peerFigures = CompletableFuture.supplyAsync(() -> jsonLine(peer));
        NettyPeerTransport transport = server.accept(Duration.ofSeconds(120));
        NetworkedLinkEnd end = new NetworkedLinkEnd(measured, link.simLink(), link.blockDetections(), transport);

        ProcessFootprint footprint = new ProcessFootprint();
        end.start();
        footprint.start();
        long block = link.blockDetections();
        Backlog backlog = new Backlog(expectedRate, block, seconds);
        // wall, CPU seconds, detections distilled and the receiver's idle time at half time
        double[] half = {0, 0, 0, 0};
        for (int i = 1; i <= seconds && end.isRunning(); i++) {
            Thread.sleep(1000);
            footprint.sample();
            double elapsed = footprint.elapsedSeconds();
            long behind = backlog.sample(i, elapsed, end.stats().detections());
            if (i == seconds / 2) {
                half = new double[] {
                    elapsed, footprint.cpuSeconds(), end.stats().detections(), end.distillerIdleNanos() / 1e9
                };
            }
            System.err.printf(
                    Locale.ROOT,
                    "%s t=%3d s  blocks %4d  detections %,d (link made ~%,.0f, %.2f blocks behind)  heap %.1f MB  RSS %.1f MB%n",
                    measured,
                    i,
                    end.stats().blocks(),
                    end.stats().detections(),
                    expectedRate * elapsed,
                    behind / (double) block,
                    footprint.lastHeap() / 1e6,
                    footprint.lastRss() / 1e6);
        }
        double wall = footprint.elapsedSeconds();
        double cpuSeconds = footprint.cpuSeconds();
        long distilled = end.stats().detections();
        boolean ranToEnd = end.isRunning();
        String idleShare = measured.equals("bob")
                ? String.format(Locale.ROOT, "%.3f", (end.distillerIdleNanos() / 1e9 - half[3]) / (wall - half[0]))
                : "null";
        var stats = end.stats();
        end.close();
        server.close();
        String peerJson = peerFigures.get(60, TimeUnit.SECONDS);
        if (!peer.waitFor(10, TimeUnit.SECONDS)) {
            peer.destroy();
        }
        System.out.printf(
                Locale.ROOT,
                "{\"mode\":\"%s\",\"measured\":\"this JVM runs %s; %s runs in a child JVM on cpus %s, Netty+mTLS on"
                        + " loopback\",\"params\":\"%s\",\"distance_km\":%.1f,\"seconds\":%.1f,\"block_detections\":%d,"
                        + "\"analytic_detections_per_s\":%.0f,\"delivered_detections_per_s\":%.0f,\"distilled_detections_per_s\":%.0f,"
                        + "\"backlog_blocks_second_half\":%.2f,\"backlog_growth_blocks\":%.2f,\"keeps_up\":%s,\"blocks\":%d,\"aborted\":%d,"
                        + "\"last_abort\":\"%s\",\"secret_bits_per_s\":%.0f,\"peak_heap_mb\":%.1f,\"peak_rss_mb\":%.1f,"
                        + "\"max_heap_mb\":%.1f,\"last_qber\":%.4f,\"cpu_share\":%.3f,\"cpu_s_per_link_s_distilled\":%.3f,"
                        + "\"second_half_cpu_share\":%.3f,\"second_half_cpu_s_per_link_s_distilled\":%.3f,"
                        + "\"second_half_distiller_idle_share\":%s,\"available_processors\":%d,\"peer\":%s}%n",
                measured,
                measured,
                peerRole,
                peerCpus,
                link.params(),
                link.lengthKm(),
                wall,
                block,
                analyticRate,
                expectedRate,
                distilled / wall,
                backlog.worstBlocks(),
                backlog.growthBlocks(),
                backlog.keptUp(ranToEnd),
                stats.blocks(),
                stats.abortedBlocks(),
                stats.lastAbortReason(),
                stats.secretBits() / wall,
                footprint.peakHeap() / 1e6,
                footprint.peakRss() / 1e6,
                Runtime.getRuntime().maxMemory() / 1e6,
                stats.lastQber(),
                cpuSeconds / wall,
                cpuSeconds / (distilled / expectedRate),
                (cpuSeconds - half[1]) / (wall - half[0]),
                (cpuSeconds - half[1]) / ((distilled - half[2]) / expectedRate),
                idleShare,
                Runtime.getRuntime().availableProcessors(),
                peerJson == null ? "null" : peerJson);
        deleteTree(pkiDir);
    }

    private static Process startPeer(
            String role, int port, Path pkiDir, FootprintLink link, String cpus, String xmx, int seconds)
            throws java.io.IOException {
        List<String> command = new ArrayList<>();
        if (!cpus.isEmpty()) {
            command.addAll(List.of("taskset", "-c", cpus));
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + xmx);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), FootprintPeer.class.getName()));
        command.addAll(List.of("role=" + role, "port=" + port, "pki=" + pkiDir, "max_seconds=" + (seconds + 120)));
        command.addAll(List.of(link.asArgs()));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    /** The peer's JSON line (its other output is dropped), or null if it printed none. */
    private static String jsonLine(Process peer) {
        try (BufferedReader in =
                new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8))) {
            String json = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("{")) {
                    json = line;
                }
            }
            return json;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }
}
