package io.hotaru.keys.etsi014;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Looks for canary key material in bytes from disk or logs: any 8-byte slice of the raw canary, and
 * the Base64 and hex text of every 256-bit unit of it (how a key would show in JSON or a log line).
 */
final class CanaryScan {
    private static final int WINDOW = 8;
    private final byte[] canary;
    private final List<byte[]> texts = new ArrayList<>();

    CanaryScan(byte[] canary, int unitBytes) {
        this.canary = canary.clone();
        for (int at = 0; at + unitBytes <= canary.length; at += unitBytes) {
            byte[] unit = Arrays.copyOfRange(canary, at, at + unitBytes);
            texts.add(Base64.getEncoder().encode(unit));
            texts.add(HexFormat.of().formatHex(unit).getBytes(StandardCharsets.US_ASCII));
            texts.add(HexFormat.of().withUpperCase().formatHex(unit).getBytes(StandardCharsets.US_ASCII));
        }
    }

    /** What was found in {@code haystack}, or an empty string if nothing. */
    String find(byte[] haystack) {
        for (int start = 0; start + WINDOW <= canary.length; start++) {
            if (indexOf(haystack, Arrays.copyOfRange(canary, start, start + WINDOW)) >= 0) {
                return "raw canary bytes " + start + ".." + (start + WINDOW);
            }
        }
        for (int i = 0; i < texts.size(); i++) {
            if (indexOf(haystack, texts.get(i)) >= 0) {
                return (i % 3 == 0 ? "Base64" : "hex") + " of canary unit " + i / 3;
            }
        }
        return "";
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
