package io.hotaru.bench.footprint;

import io.hotaru.agent.config.NodeConfigLoader;
import io.hotaru.drivers.Drivers;
import io.hotaru.drivers.TagBatch;
import io.hotaru.drivers.TimeTagger;
import io.hotaru.keys.distill.BobBlock;
import io.hotaru.keys.peer.PeerConfig;
import io.hotaru.keys.peer.PeerTls;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.PkiFiles;
import io.hotaru.sim.devices.SimLinkConfig;
import io.hotaru.sim.physics.AnalyticModel;
import java.nio.file.Path;
import java.util.List;

/**
 * What both processes of a split footprint run agree on: the simulated link's URI query, the block
 * size, and the peer channel's mutual TLS (each end with its KME's certificate from one PKI
 * directory, as two nodes of {@code ./hotaru node} have).
 */
record FootprintLink(String params, String distanceKm, int blockDetections) {
    static final List<String> KMES = List.of("kme-a", "kme-b");

    static FootprintLink fromArgs(String[] args) {
        return new FootprintLink(
                CommandArgs.get(args, "params", "fibre-1ghz"),
                CommandArgs.get(args, "distance_km", ""),
                blockArg(args));
    }

    /**
     * {@code block=}: detections per block, by default the daemon's; a usage error (exit 2) outside
     * what a block may hold, as {@code ./hotaru node} refuses it.
     */
    static int blockArg(String[] args) {
        String value = CommandArgs.get(args, "block", String.valueOf(NodeConfigLoader.DEFAULT_BLOCK_DETECTIONS));
        int block;
        try {
            block = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            block = -1;
        }
        if (block < 1024 || block > BobBlock.MAX_DETECTIONS) {
            System.err.println("block=" + value + ": use a whole number of detections in [1024, "
                    + BobBlock.MAX_DETECTIONS + "] (a larger block's detections do not fit one peer message)");
            System.exit(2);
        }
        return block;
    }

    String[] asArgs() {
        return new String[] {"params=" + params, "distance_km=" + distanceKm, "block=" + blockDetections};
    }

    /** The query of the {@code sim:alice} and {@code sim:bob} URIs. */
    String simLink() {
        return "link=footprint&seed=7&params=" + params + (distanceKm.isEmpty() ? "" : "&distance_km=" + distanceKm);
    }

    double lengthKm() {
        return SimLinkConfig.parse("sim:bob?" + simLink()).parameters().lengthKm();
    }

    /** The analytic model's detection rate (no dead time: above what the detectors deliver). */
    double analyticDetectionsPerSecond() {
        return AnalyticModel.of(SimLinkConfig.parse("sim:bob?" + simLink()).parameters())
                .detectionsPerSecond();
    }

    /**
     * The rate the simulated detectors deliver, dead time included: the detections of the link's
     * first {@code linkSeconds}, read from a time tagger of the same link run 1000 times faster than
     * the wall clock. What a receiver must distil per second to keep up.
     */
    double deliveredDetectionsPerSecond(double linkSeconds) throws InterruptedException {
        TimeTagger tagger = Drivers.discover().open("sim:bob?" + simLink() + "&time_scale=1000", TimeTagger.class);
        try {
            TagBatch batch = new TagBatch(1 << 16);
            long endPs = (long) (linkSeconds * 1e12);
            long count = 0;
            tagger.start();
            while (true) {
                int n = tagger.read(batch);
                long[] t = batch.timestampsPs();
                for (int i = 0; i < n; i++) {
                    count += t[i] < endPs ? 1 : 0;
                }
                if (batch.completeUpToPs() >= endPs) {
                    return count / linkSeconds;
                }
                if (n < batch.capacity()) {
                    Thread.sleep(1);
                }
            }
        } finally {
            tagger.close();
        }
    }

    /** The peer channel of the end with {@code role}: Alice is KME a, Bob KME b. */
    static PeerConfig peerConfig(Path pkiDir, String role) {
        PkiFiles pki = Pki.open(pkiDir, KMES, List.of());
        var kme = pki.kme(role.equals("alice") ? "kme-a" : "kme-b");
        return PeerConfig.defaults().withTls(new PeerTls(kme.certificate(), kme.privateKey(), pki.caCertificate()));
    }
}
