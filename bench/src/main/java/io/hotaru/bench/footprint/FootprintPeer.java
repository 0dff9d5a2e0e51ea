package io.hotaru.bench.footprint;

import io.hotaru.keys.peer.NettyPeerTransport;
import io.hotaru.keys.peer.PeerClient;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The peer end of a split footprint run ({@link LinkFootprint} {@code mode=alice|bob}), started by
 * it as a child process: dials the measured end over the Netty peer channel with mutual TLS, runs
 * its own end of the link until the channel closes (or {@code max_seconds}), then prints its own
 * figures as one JSON line on stdout.
 */
public final class FootprintPeer {
    private FootprintPeer() {}

    public static void main(String[] args) throws Exception {
        String role = CommandArgs.get(args, "role", "");
        int port = Integer.parseInt(CommandArgs.get(args, "port", "0"));
        Path pkiDir = Path.of(CommandArgs.get(args, "pki", ""));
        int maxSeconds = Integer.parseInt(CommandArgs.get(args, "max_seconds", "600"));
        FootprintLink link = FootprintLink.fromArgs(args);
        ProcessFootprint footprint = new ProcessFootprint();
        try (PeerClient client = new PeerClient(FootprintLink.peerConfig(pkiDir, role))) {
            NettyPeerTransport transport = client.connect("127.0.0.1", port);
            NetworkedLinkEnd end = new NetworkedLinkEnd(role, link.simLink(), link.blockDetections(), transport);
            end.start();
            footprint.start();
            while (end.isRunning() && footprint.elapsedSeconds() < maxSeconds) {
                Thread.sleep(200);
                footprint.sample();
            }
            double wall = footprint.elapsedSeconds();
            double cpu = footprint.cpuSeconds();
            System.out.printf(
                    Locale.ROOT,
                    "{\"role\":\"%s\",\"seconds\":%.1f,\"blocks\":%d,\"distilled_detections_per_s\":%.0f,"
                            + "\"peak_heap_mb\":%.1f,\"peak_rss_mb\":%.1f,\"max_heap_mb\":%.1f,\"cpu_share\":%.3f,"
                            + "\"available_processors\":%d}%n",
                    role,
                    wall,
                    end.stats().blocks(),
                    end.stats().detections() / wall,
                    footprint.peakHeap() / 1e6,
                    footprint.peakRss() / 1e6,
                    Runtime.getRuntime().maxMemory() / 1e6,
                    cpu / wall,
                    Runtime.getRuntime().availableProcessors());
            System.out.flush();
            end.close();
        }
        System.exit(0);
    }
}
