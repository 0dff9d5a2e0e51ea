package io.hotaru.agent.mqtt;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and writes the JSON of {@code cmd/<verb>} messages. Parsing is strict: exactly the documented
 * fields, the documented types and characters, no duplicate keys, bounded sizes; anything else is
 * {@link Rejection#MALFORMED}. It never throws anything but {@link CommandRejected}.
 */
public final class CommandCodec {

    public static final Set<String> VERBS = Set.of("start", "stop", "set", "selftest");
    public static final int MAX_PAYLOAD_BYTES = 2048;

    private static final Set<String> FIELDS = Set.of("v", "id", "node", "verb", "issued", "sender", "args", "sig");
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9-]{8,64}");
    private static final Pattern ARG_NAME = Pattern.compile("[a-z][a-z_]{0,31}");
    private static final Pattern ARG_VALUE = Pattern.compile("[\\x20-\\x7E]{1,128}");
    private static final Pattern NUMBER = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,15})?([eE][-+]?[0-9]{1,3})?");
    private static final int MAX_ARGS = 8;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(4)
                            .maxStringLength(1024)
                            .maxNumberLength(32)
                            .build())
                    .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build())
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private CommandCodec() {}

    /** Parses a command payload; the result is well formed but not yet authenticated. */
    public static SignedCommand parse(byte[] payload) throws CommandRejected {
        if (payload == null || payload.length == 0 || payload.length > MAX_PAYLOAD_BYTES) {
            throw malformed("payload must be 1-" + MAX_PAYLOAD_BYTES + " bytes");
        }
        precheck(payload);
        JsonNode root;
        try {
            root = MAPPER.readTree(payload);
        } catch (IOException | RuntimeException e) {
            throw malformed("not a JSON object");
        }
        if (!(root instanceof ObjectNode o)) {
            throw malformed("not a JSON object");
        }
        for (Map.Entry<String, JsonNode> field : o.properties()) {
            if (!FIELDS.contains(field.getKey())) {
                throw malformed("unknown field");
            }
        }
        JsonNode v = o.get("v");
        if (v == null || !v.isInt() || v.intValue() != 1) {
            throw malformed("field v must be 1");
        }
        String id = text(o, "id", ID);
        String node = text(o, "node", null);
        if (!Topics.isLevel(node)) {
            throw malformed("field node is not a node id");
        }
        String verb = text(o, "verb", null);
        if (!VERBS.contains(verb)) {
            throw malformed("field verb is not one of " + VERBS);
        }
        String issuedText = text(o, "issued", null);
        Instant issued;
        try {
            if (issuedText.length() > 40) {
                throw new DateTimeParseException("too long", issuedText, 0);
            }
            issued = Instant.parse(issuedText);
        } catch (DateTimeParseException e) {
            throw malformed("field issued is not an ISO-8601 instant");
        }
        String sender = text(o, "sender", SenderAllowList.SENDER_ID);
        Map<String, String> args = args(o.get("args"), verb);
        String sigText = text(o, "sig", null);
        byte[] sig;
        try {
            sig = Base64.getDecoder().decode(sigText);
        } catch (IllegalArgumentException e) {
            throw malformed("field sig is not base64");
        }
        if (sig.length != 64) {
            throw malformed("field sig is not an Ed25519 signature");
        }
        return new SignedCommand(id, node, verb, issuedText, issued, sender, args, sig);
    }

    /**
     * A linear scan that refuses, before any JSON parsing, what no valid command contains: bytes outside
     * printable ASCII and JSON whitespace, arrays, nesting deeper than the {@code args} object. Cheap
     * rejection of the bulk of junk keeps a flood of it from costing much.
     */
    private static void precheck(byte[] p) throws CommandRejected {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        boolean started = false;
        for (byte b : p) {
            if ((b < 0x20 && b != '\t' && b != '\n' && b != '\r') || b > 0x7E) {
                throw malformed("bytes outside printable ASCII");
            }
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (b == '\\') {
                    escaped = true;
                } else if (b == '"') {
                    inString = false;
                }
                continue;
            }
            if (!started && b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                if (b != '{') {
                    throw malformed("not a JSON object");
                }
                started = true;
            }
            switch (b) {
                case '"' -> inString = true;
                case '{' -> {
                    if (++depth > 2) {
                        throw malformed("nested too deep");
                    }
                }
                case '}' -> depth--;
                case '[', ']' -> throw malformed("arrays are not part of a command");
                default -> {}
            }
        }
        if (inString || depth != 0) {
            throw malformed("not a complete JSON object");
        }
    }

    private static Map<String, String> args(JsonNode node, String verb) throws CommandRejected {
        if (!(node instanceof ObjectNode a) || a.size() > MAX_ARGS) {
            throw malformed("field args must be an object of at most " + MAX_ARGS + " strings");
        }
        Map<String, String> args = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : a.properties()) {
            if (!ARG_NAME.matcher(e.getKey()).matches()
                    || !e.getValue().isTextual()
                    || !ARG_VALUE.matcher(e.getValue().textValue()).matches()) {
                throw malformed("args must map [a-z_] names to printable ASCII strings");
            }
            args.put(e.getKey(), e.getValue().textValue());
        }
        Set<String> expected = verb.equals("set") ? Set.of("link", "name", "value") : Set.of("link");
        if (!args.keySet().equals(expected)) {
            throw malformed("verb " + verb + " takes args " + expected);
        }
        if (!Topics.isLevel(args.get("link"))) {
            throw malformed("arg link is not a link id");
        }
        if (verb.equals("set") && !NUMBER.matcher(args.get("value")).matches()) {
            throw malformed("arg value is not a decimal number");
        }
        return args;
    }

    private static String text(ObjectNode o, String field, Pattern pattern) throws CommandRejected {
        JsonNode n = o.get(field);
        if (n == null || !n.isTextual()) {
            throw malformed("field " + field + " must be a string");
        }
        String s = n.textValue();
        if (pattern != null && !pattern.matcher(s).matches()) {
            throw malformed("field " + field + " has the wrong form");
        }
        return s;
    }

    private static CommandRejected malformed(String why) {
        return new CommandRejected(Rejection.MALFORMED, why);
    }

    /** The JSON of a command (what {@link CommandSigner} produces). */
    static byte[] write(SignedCommand c) {
        ObjectNode o = TelemetryJson.MAPPER.createObjectNode();
        o.put("v", 1);
        o.put("id", c.id());
        o.put("node", c.node());
        o.put("verb", c.verb());
        o.put("issued", c.issuedText());
        o.put("sender", c.sender());
        ObjectNode a = o.putObject("args");
        new java.util.TreeMap<>(c.args()).forEach(a::put);
        o.put("sig", Base64.getEncoder().encodeToString(c.signature()));
        return TelemetryJson.bytes(o);
    }
}
