package io.hotaru.agent.demo;

import io.hotaru.agent.cli.CliFailure;
import io.hotaru.agent.topology.FibreLink;
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
 * The end of a demo run: per fibre link the blocks, the key stored and whether both ends hold the
 * same keys (compared by SHA-256 digest of IDs and keys: the keys are never shown), the alarms, and
 * the curl lines that fetch one key at two nodes. Fails the run when two ends disagree.
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
        for (FibreLinkRun l : network.links()) {
            results.put(
                    l.link().id(),
                    link(network, l, alarmedLinks.contains(l.link().id())));
        }
        network.notStarted().forEach((id, why) -> out.printf(Locale.ROOT, "  link %s: not run (%s)%n", id, why));
        FibreLink pair = keyedPair(network, results);
        if (pair == null) {
            out.println("  no link stored key; run longer (--duration)");
        } else {
            out.println("fetch a key at node " + pair.a() + " and the same key at node " + pair.b()
                    + " (while a demo runs, with --work-dir to keep the files) with:");
            printCurl(out, network, pair);
            out.println("  (adjacent nodes: keys between distant nodes need the trusted-node relay, not yet in the"
                    + " demo)");
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

    private LinkResult link(TopologyNetwork network, FibreLinkRun l, boolean alarmed) {
        String id = l.link().id();
        KeyStore a = network.nodes().get(l.link().a()).store();
        KeyStore b = network.nodes().get(l.link().b()).store();
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
                l.link().a(),
                idsB.size(),
                l.link().b(),
                same ? "IDENTICAL" : "DIFFERENT",
                HexFormat.of().formatHex(digestA, 0, 8),
                HexFormat.of().formatHex(digestB, 0, 8));
        return new LinkResult(l.blocks(), l.storedKeyBits(), idsA.size(), same);
    }

    static FibreLink keyedPair(TopologyNetwork network, Map<String, LinkResult> results) {
        return network.links().stream()
                .filter(l -> results.get(l.link().id()).heldKeys() > 0)
                .map(FibreLinkRun::link)
                .findFirst()
                .orElse(null);
    }

    static void printCurl(PrintWriter out, TopologyNetwork network, FibreLink pair) {
        TopologyNetwork.Node master = network.nodes().get(pair.a());
        TopologyNetwork.Node slave = network.nodes().get(pair.b());
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
        out.println("  (the first prints the key ID; to see the key itself at " + pair.a()
                + ", drop the '| sed ...' part)");
    }
}
