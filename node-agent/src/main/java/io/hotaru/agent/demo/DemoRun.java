package io.hotaru.agent.demo;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.link.LinkStats;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.store.KeyCounts;
import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyStore;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** One run of the demo: starts the network, prints progress, the curl commands and a summary. */
final class DemoRun {

    private final DemoSettings settings;
    private final PrintWriter out;

    DemoRun(DemoSettings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Runs the demo; returns true when both nodes hold identical keys. */
    boolean run() {
        out.printf(
                Locale.ROOT,
                "Hotaru demo: nodes A and B on %.1f km of simulated fibre, link seed %d, running for %s%n",
                settings.distanceKm(),
                settings.seed(),
                human(settings.duration().toMillis()));
        out.println("work directory: " + settings.workDir());
        out.flush();
        TwoNodeNetwork network = startNetwork();
        Runtime.getRuntime().addShutdownHook(new Thread(network::close, "demo-shutdown"));
        try {
            out.printf(
                    Locale.ROOT,
                    "node A: KME %s, ETSI GS QKD 014 at https://localhost:%d/api/v1/keys/ (application %s)%n",
                    TwoNodeNetwork.KME_A,
                    network.portA(),
                    TwoNodeNetwork.SAE_A);
            out.printf(
                    Locale.ROOT,
                    "node B: KME %s, ETSI GS QKD 014 at https://localhost:%d/api/v1/keys/ (application %s)%n",
                    TwoNodeNetwork.KME_B,
                    network.portB(),
                    TwoNodeNetwork.SAE_B);
            out.println("link " + TwoNodeNetwork.LINK_ID + ": " + network.linkUri());
            out.flush();
            progressLoop(network);
            network.stopLink();
            return summary(network);
        } finally {
            network.close();
        }
    }

    private TwoNodeNetwork startNetwork() {
        try {
            return TwoNodeNetwork.start(TwoNodeNetwork.Options.demo(
                    settings.workDir(), settings.port(), settings.port() + 1, settings.distanceKm(), settings.seed()));
        } catch (KeyManagerException e) {
            if (e.code() == KeyManagerException.Code.BIND_FAILED) {
                throw CliFailure.runtime(
                        e.getMessage() + "; choose other ports with --port (node A uses PORT, node B PORT+1)");
            }
            throw CliFailure.runtime(e.getMessage());
        }
    }

    private void progressLoop(TwoNodeNetwork network) {
        long start = System.nanoTime();
        long end = start + settings.duration().toNanos();
        long interval = settings.progressInterval().toNanos();
        long next = start + interval;
        boolean curlShown = false;
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            sleepNanos(Math.min(next, end) - now);
            now = System.nanoTime();
            if (now >= next || now >= end) {
                progressLine(network, (now - start) / 1e9);
                next += interval;
                if (!curlShown && network.storeA().availableCount(TwoNodeNetwork.LINK_ID) > 0) {
                    out.println("first keys stored; fetch one at node A and the same key at node B with:");
                    printCurl(network);
                    curlShown = true;
                }
                out.flush();
            }
        }
    }

    private void progressLine(TwoNodeNetwork network, double seconds) {
        LinkStats rx = network.receiver().stats();
        KeyCounts a = network.storeA().counts(TwoNodeNetwork.LINK_ID);
        KeyCounts b = network.storeB().counts(TwoNodeNetwork.LINK_ID);
        out.printf(
                Locale.ROOT,
                "[%6.1fs] link %s  QBER %s  sifted %,d b  secret %,d b  blocks %d (%d aborted)  keys A %,d  B %,d%n",
                seconds,
                TwoNodeNetwork.LINK_ID,
                percent(rx.lastQber()),
                rx.siftedBits(),
                rx.secretBits(),
                rx.blocks(),
                rx.abortedBlocks(),
                a.available() + a.reserved(),
                b.available() + b.reserved());
    }

    private boolean summary(TwoNodeNetwork network) {
        LinkStats tx = network.transmitter().stats();
        LinkStats rx = network.receiver().stats();
        out.println();
        out.println("summary");
        out.printf(
                Locale.ROOT,
                "  link %s: %d blocks (%d aborted%s), %,d detections, %,d sifted bits, last QBER %s%n",
                TwoNodeNetwork.LINK_ID,
                rx.blocks(),
                rx.abortedBlocks(),
                rx.abortedBlocks() > 0 ? ", last because " + rx.lastAbortReason() : "",
                rx.detections(),
                rx.siftedBits(),
                percent(rx.lastQber()));
        out.printf(
                Locale.ROOT,
                "  secret key bits: node A %,d, node B %,d (%,d and %,d keys of 256 bits stored)%n",
                tx.secretBits(),
                rx.secretBits(),
                tx.keysStored(),
                rx.keysStored());
        boolean same = compareStores(network.storeA(), network.storeB());
        if (tx.secretBits() == 0) {
            out.println("  no key was distilled; run longer (--duration) or shorten the link (--distance-km)");
        } else {
            out.println("fetch a key at node A and the same key at node B (while a demo runs) with:");
            printCurl(network);
        }
        out.flush();
        if (!same) {
            throw CliFailure.runtime("the key stores of node A and node B disagree");
        }
        return same;
    }

    /** Compares the keys both stores still hold, by SHA-256 digest: the keys are never shown. */
    private boolean compareStores(KeyStore a, KeyStore b) {
        List<UUID> idsA = a.heldKeyIds(TwoNodeNetwork.LINK_ID);
        List<UUID> idsB = b.heldKeyIds(TwoNodeNetwork.LINK_ID);
        List<UUID> common = new ArrayList<>(idsA);
        common.retainAll(idsB);
        byte[] digestA = a.digest(common);
        byte[] digestB = b.digest(common);
        boolean same = MessageDigest.isEqual(digestA, digestB) && idsA.size() == idsB.size();
        out.printf(
                Locale.ROOT,
                "  key material: %s (%,d keys held at A, %,d at B; SHA-256 of IDs and keys %s at A, %s at B)%n",
                same ? "IDENTICAL at both nodes" : "DIFFERENT",
                idsA.size(),
                idsB.size(),
                shortHex(digestA),
                shortHex(digestB));
        return same;
    }

    private void printCurl(TwoNodeNetwork network) {
        CredentialFiles saeA = network.pki().sae(TwoNodeNetwork.SAE_A);
        CredentialFiles saeB = network.pki().sae(TwoNodeNetwork.SAE_B);
        String ca = network.pki().caCertificate().toString();
        out.printf(
                Locale.ROOT,
                "  KEY_ID=$(curl -s --cacert %s --cert %s --key %s"
                        + " 'https://localhost:%d/api/v1/keys/%s/enc_keys?number=1&size=256'"
                        + " | sed -E 's/.*\"key_ID\" *: *\"([^\"]+)\".*/\\1/'); echo \"$KEY_ID\"%n",
                ca,
                saeA.certificate(),
                saeA.privateKey(),
                network.portA(),
                TwoNodeNetwork.SAE_B);
        out.printf(
                Locale.ROOT,
                "  curl -s --cacert %s --cert %s --key %s"
                        + " \"https://localhost:%d/api/v1/keys/%s/dec_keys?key_ID=$KEY_ID\"%n",
                ca,
                saeB.certificate(),
                saeB.privateKey(),
                network.portB(),
                TwoNodeNetwork.SAE_A);
        out.println("  (the first prints the key ID; to see the key itself at A, drop the '| sed ...' part)");
    }

    private static String shortHex(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 8);
    }

    private static String percent(double q) {
        return Double.isNaN(q) ? "  -  " : String.format(Locale.ROOT, "%.2f%%", 100 * q);
    }

    private static String human(long millis) {
        return millis % 1000 == 0 ? (millis / 1000) + " s" : (millis / 1000.0) + " s";
    }

    private static void sleepNanos(long nanos) {
        if (nanos <= 0) {
            return;
        }
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.runtime("interrupted");
        }
    }
}
