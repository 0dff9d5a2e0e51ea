package io.hotaru.agent.demo;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.store.KeyStore;
import java.io.PrintWriter;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The end of a demo run: per link (fibre and satellite) the blocks, the key stored and whether both ends hold the
 * same keys (compared by SHA-256 digest of IDs and keys: the keys are never shown), the alarms, and
 * each satellite pass's key, and the curl lines that fetch one key at two nodes. Fails the run when two ends disagree.
 */
final class DemoSummary {

    /**
     * @param storedKeyBits key bits that reached the stores
     * @param heldKeys keys the transmitter's end still holds
     * @param identical whether both ends hold the same key IDs and keys
     */
    record LinkResult(long blocks, long storedKeyBits, int heldKeys, boolean identical) {}

    private final PrintWriter out;

    DemoSummary(PrintWriter out) {
        this.out = out;
    }

    Map<String, LinkResult> print(TopologyNetwork network, Set<String> alarmedLinks) {
        out.println();
        out.println("summary");
        Map<String, LinkResult> results = new LinkedHashMap<>();
        for (DemoLink l : network.allLinks()) {
            results.put(l.id(), link(network, l, alarmedLinks.contains(l.id())));
        }
        for (SatelliteLinkRun l : network.satelliteLinks()) {
            for (SatelliteLinkRun.PassResult p : l.passes()) {
                out.printf(
                        Locale.ROOT,
                        "  pass of %s over %s: max elevation %.1f°, %s, %d blocks, %,d secret bits stored%n",
                        l.id(),
                        l.b(),
                        p.maxElevationDeg(),
                        p.status(),
                        p.blocks(),
                        p.keyBits());
            }
        }
        network.notStarted().forEach((id, why) -> out.printf(Locale.ROOT, "  link %s: not run (%s)%n", id, why));
        if (results.values().stream().allMatch(r -> r.heldKeys() == 0)) {
            out.println("  no link stored key; run longer (--duration)");
        } else {
            out.println("while a demo runs (give --work-dir to keep its files):");
            printCurl(out, network);
        }
        out.flush();
        List<String> disagree = results.entrySet().stream()
                .filter(e -> !e.getValue().identical())
                .map(Map.Entry::getKey)
                .toList();
        if (!disagree.isEmpty()) {
            throw CliFailure.runtime("the two ends of link(s) " + String.join(", ", disagree) + " hold different keys");
        }
        return results;
    }

    private LinkResult link(TopologyNetwork network, DemoLink l, boolean alarmed) {
        String id = l.id();
        KeyStore a = l.transmitterStore();
        KeyStore b = l.receiverStore();
        List<UUID> idsA = a.heldKeyIds(id);
        List<UUID> idsB = b.heldKeyIds(id);
        List<UUID> common = new ArrayList<>(idsA);
        common.retainAll(idsB);
        byte[] digestA = a.digest(common);
        byte[] digestB = b.digest(common);
        boolean same = MessageDigest.isEqual(digestA, digestB) && idsA.size() == idsB.size();
        out.printf(
                Locale.ROOT,
                "  link %-10s %d blocks, %,d secret bits stored, last QBER %s%s; %,d keys at %s, %,d at %s:"
                        + " %s (SHA-256 %s / %s)%n",
                id,
                l.blocks(),
                l.storedKeyBits(),
                LiveView.percent(l.receiverStats().lastQber()),
                alarmed
                        ? ", ALARM raised ("
                                + String.join(", ", l.activeAlarms().keySet()) + " active at the end)"
                        : "",
                idsA.size(),
                l.a(),
                idsB.size(),
                l.b(),
                same ? "IDENTICAL" : "DIFFERENT",
                HexFormat.of().formatHex(digestA, 0, 8),
                HexFormat.of().formatHex(digestB, 0, 8));
        return new LinkResult(l.blocks(), l.storedKeyBits(), idsA.size(), same);
    }

    /**
     * Prints the curl lines that fetch a key at the two nodes farthest apart (relayed through the
     * nodes between), or at the two ends of the first link when every node is adjacent to every other.
     */
    static void printCurl(PrintWriter out, TopologyNetwork network) {
        List<String> pair = network.distantPair()
                .orElseGet(() -> List.of(
                        network.links().get(0).link().a(),
                        network.links().get(0).link().b()));
        boolean relayed = !network.adjacent(pair.get(0), pair.get(1));
        out.println("fetch a key at node " + pair.get(0) + " and the same key at node " + pair.get(1)
                + (relayed ? " (distant: relayed through the nodes between)" : " (adjacent)") + " with:");
        printCurl(out, network, pair.get(0), pair.get(1));
    }

    private static void printCurl(PrintWriter out, TopologyNetwork network, String a, String b) {
        TopologyNetwork.Node master = network.nodes().get(a);
        TopologyNetwork.Node slave = network.nodes().get(b);
        CredentialFiles saeA = network.pki().sae(master.sae());
        CredentialFiles saeB = network.pki().sae(slave.sae());
        String ca = network.pki().caCertificate().toString();
        out.printf(
                Locale.ROOT,
                "  KEY_ID=$(curl -s --cacert %s --cert %s --key %s"
                        + " 'https://localhost:%d/api/v1/keys/%s/enc_keys?number=1&size=256'"
                        + " | sed -E 's/.*\"key_ID\" *: *\"([^\"]+)\".*/\\1/'); echo \"$KEY_ID\"%n",
                ca,
                saeA.certificate(),
                saeA.privateKey(),
                master.server().port(),
                slave.sae());
        out.printf(
                Locale.ROOT,
                "  curl -s --cacert %s --cert %s --key %s"
                        + " \"https://localhost:%d/api/v1/keys/%s/dec_keys?key_ID=$KEY_ID\"%n",
                ca,
                saeB.certificate(),
                saeB.privateKey(),
                slave.server().port(),
                master.sae());
        out.println("  (the first prints the key ID; to see the key itself at " + a + ", drop the '| sed ...' part)");
    }
}
