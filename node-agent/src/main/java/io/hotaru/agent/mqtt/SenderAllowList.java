package io.hotaru.agent.mqtt;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;

/**
 * Who may command this node: one line per sender, {@code SENDER VERBS KEY}, where VERBS is {@code *}
 * or a comma-separated subset of {@code start,stop,set,selftest} and KEY is the sender's Ed25519
 * public key in base64 (X.509 SubjectPublicKeyInfo DER as {@code openssl pkey -pubout -outform DER}
 * writes it, or the raw 32 bytes). {@code #} starts a comment. Read once at start-up; any error names
 * the file, line and reason.
 */
public final class SenderAllowList {

    /** One allowed sender. */
    public record Sender(String id, Set<String> verbs, Ed25519PublicKeyParameters key) {}

    static final Pattern SENDER_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final Map<String, Sender> senders;

    private SenderAllowList(Map<String, Sender> senders) {
        this.senders = Map.copyOf(senders);
    }

    public static SenderAllowList of(List<Sender> senders) {
        Map<String, Sender> map = new HashMap<>();
        for (Sender s : senders) {
            if (map.put(s.id(), s) != null) {
                throw new IllegalArgumentException("sender " + s.id() + " listed twice");
            }
        }
        return new SenderAllowList(map);
    }

    /** Reads an allow-list file; throws {@link IllegalArgumentException} with {@code file:line: reason}. */
    public static SenderAllowList read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(file + ": cannot read the command allow-list: " + e.getMessage(), e);
        }
        Map<String, Sender> map = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            int hash = line.indexOf('#');
            String content = (hash >= 0 ? line.substring(0, hash) : line).trim();
            if (content.isEmpty()) {
                continue;
            }
            try {
                Sender s = parseLine(content);
                if (map.put(s.id(), s) != null) {
                    throw new IllegalArgumentException("sender " + s.id() + " is listed twice");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage(), e);
            }
        }
        return new SenderAllowList(map);
    }

    static Sender parseLine(String content) {
        String[] f = content.split("\\s+");
        if (f.length != 3) {
            throw new IllegalArgumentException("expected 'SENDER VERBS KEY', found " + f.length + " field(s)");
        }
        if (!SENDER_ID.matcher(f[0]).matches()) {
            throw new IllegalArgumentException("sender id must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        Set<String> verbs;
        if (f[1].equals("*")) {
            verbs = CommandCodec.VERBS;
        } else {
            verbs = Set.of(f[1].split(","));
            for (String v : verbs) {
                if (!CommandCodec.VERBS.contains(v)) {
                    throw new IllegalArgumentException(
                            "unknown verb '" + v + "' (known: " + CommandCodec.VERBS + ", or *)");
                }
            }
        }
        return new Sender(f[0], verbs, publicKey(f[2]));
    }

    /** Decodes a base64 Ed25519 public key: SubjectPublicKeyInfo DER or the raw 32 bytes. */
    public static Ed25519PublicKeyParameters publicKey(String base64) {
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("public key is not base64");
        }
        byte[] raw;
        if (der.length == Ed25519PublicKeyParameters.KEY_SIZE) {
            raw = der;
        } else if (der.length == SPKI_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE
                && Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            raw = Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
        } else {
            throw new IllegalArgumentException(
                    "public key is not an Ed25519 key (SubjectPublicKeyInfo or 32 raw bytes)");
        }
        return new Ed25519PublicKeyParameters(raw, 0);
    }

    /** The base64 SubjectPublicKeyInfo of {@code key}, as the allow-list file holds it. */
    public static String encode(Ed25519PublicKeyParameters key) {
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + Ed25519PublicKeyParameters.KEY_SIZE);
        key.encode(der, SPKI_PREFIX.length);
        return Base64.getEncoder().encodeToString(der);
    }

    /** The sender, or null if not listed. */
    public Sender find(String id) {
        return senders.get(id);
    }

    public int size() {
        return senders.size();
    }
}
