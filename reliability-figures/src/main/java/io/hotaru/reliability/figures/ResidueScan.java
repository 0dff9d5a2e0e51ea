package io.hotaru.reliability.figures;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Looks for canary key material in bytes from disk, logs or telemetry captures: any 8-byte slice of
 * the raw canary, and the Base64 and hex text of every key unit of it (how a key would show in JSON,
 * a log line or a telemetry payload). One pass over the haystack, whatever the canary's length: the
 * 8-byte windows of the canary and the first 8 bytes of each text are kept in hash tables.
 */
public final class ResidueScan {
    private static final int WINDOW = 8;
    private final Set<Long> rawWindows = new HashSet<>();
    private final Map<Long, List<Text>> textsByPrefix = new HashMap<>();

    private record Text(byte[] bytes, String name) {}

    /** {@code canary}: the key material to look for, in units of {@code unitBytes}; kept only as windows. */
    public ResidueScan(byte[] canary, int unitBytes) {
        for (int start = 0; start + WINDOW <= canary.length; start++) {
            rawWindows.add(window(canary, start));
        }
        for (int at = 0; at + unitBytes <= canary.length; at += unitBytes) {
            byte[] unit = Arrays.copyOfRange(canary, at, at + unitBytes);
            int index = at / unitBytes;
            add(Base64.getEncoder().encode(unit), "Base64 of canary unit " + index);
            add(Base64.getUrlEncoder().encode(unit), "Base64url of canary unit " + index);
            add(HexFormat.of().formatHex(unit).getBytes(StandardCharsets.US_ASCII), "hex of canary unit " + index);
            add(
                    HexFormat.of().withUpperCase().formatHex(unit).getBytes(StandardCharsets.US_ASCII),
                    "hex of canary unit " + index);
            Arrays.fill(unit, (byte) 0);
        }
    }

    private void add(byte[] text, String name) {
        textsByPrefix.computeIfAbsent(window(text, 0), k -> new ArrayList<>()).add(new Text(text, name));
    }

    /** What was found in {@code haystack} (the first hit), or an empty string if nothing. */
    public String find(byte[] haystack) {
        for (int i = 0; i + WINDOW <= haystack.length; i++) {
            long w = window(haystack, i);
            if (rawWindows.contains(w)) {
                return "raw canary bytes at offset " + i;
            }
            for (Text text : textsByPrefix.getOrDefault(w, List.of())) {
                if (startsWith(haystack, i, text.bytes())) {
                    return text.name() + " at offset " + i;
                }
            }
        }
        return "";
    }

    private static boolean startsWith(byte[] haystack, int at, byte[] needle) {
        if (at + needle.length > haystack.length) {
            return false;
        }
        for (int j = 0; j < needle.length; j++) {
            if (haystack[at + j] != needle[j]) {
                return false;
            }
        }
        return true;
    }

    private static long window(byte[] bytes, int at) {
        long w = 0;
        for (int j = 0; j < WINDOW; j++) {
            w = (w << 8) | (bytes[at + j] & 0xFF);
        }
        return w;
    }
}
