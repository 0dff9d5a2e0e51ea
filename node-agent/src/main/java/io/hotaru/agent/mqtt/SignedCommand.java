package io.hotaru.agent.mqtt;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

/**
 * A command whose fields are well formed (not yet authenticated): what {@link CommandCodec#parse}
 * returns.
 *
 * @param id the sender's command id (idempotency key)
 * @param node the node it is addressed to
 * @param verb {@code start}, {@code stop}, {@code set} or {@code selftest}
 * @param issuedText when the sender signed it, verbatim as signed (ISO-8601 instant)
 * @param issued the same, parsed
 * @param sender the allow-list id of the sender
 * @param args verb arguments, all strings
 * @param signature the Ed25519 signature over {@link #canonical()}
 */
public record SignedCommand(
        String id,
        String node,
        String verb,
        String issuedText,
        Instant issued,
        String sender,
        Map<String, String> args,
        byte[] signature) {

    public SignedCommand {
        args = Map.copyOf(args);
    }

    /**
     * The bytes that are signed: one {@code name=value} line per field in a fixed order, then the
     * arguments sorted by name, each line ending in LF. No field may contain LF, and names contain no
     * {@code =}, so the encoding is unambiguous.
     */
    public byte[] canonical() {
        return canonical(id, node, verb, issuedText, sender, args);
    }

    static byte[] canonical(
            String id, String node, String verb, String issued, String sender, Map<String, String> args) {
        StringBuilder b = new StringBuilder(160);
        b.append("hotaru-cmd/1\n");
        b.append("id=").append(id).append('\n');
        b.append("node=").append(node).append('\n');
        b.append("verb=").append(verb).append('\n');
        b.append("issued=").append(issued).append('\n');
        b.append("sender=").append(sender).append('\n');
        new TreeMap<>(args)
                .forEach((k, v) ->
                        b.append("arg.").append(k).append('=').append(v).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "SignedCommand[" + id + " " + verb + " from " + sender + " to " + node + " " + args + "]";
    }
}
