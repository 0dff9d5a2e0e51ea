package io.hotaru.keys.etsi014;

import io.hotaru.keys.store.DeliveredKey;
import io.hotaru.keys.store.KeyBatch;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * Writes the key container {@code {"keys":[{"key_ID":"...","key":"<Base64>"},...]}} into one
 * exactly sized byte array, never through a String, so that the caller can zero it after sending.
 */
final class KeyContainerWriter {
    private static final byte[] OPEN = ascii("{\"keys\":[");
    private static final byte[] KEY_ID = ascii("{\"key_ID\":\"");
    private static final byte[] KEY = ascii("\",\"key\":\"");
    private static final byte[] CLOSE_KEY = ascii("\"}");
    private static final byte[] CLOSE = ascii("]}");
    private static final int UUID_CHARS = 36;

    private KeyContainerWriter() {}

    static byte[] write(KeyBatch batch) {
        Base64.Encoder base64 = Base64.getEncoder();
        int size = OPEN.length + CLOSE.length + Math.max(0, batch.size() - 1);
        for (DeliveredKey key : batch.keys()) {
            size += KEY_ID.length + UUID_CHARS + KEY.length + base64Length(key.material().length) + CLOSE_KEY.length;
        }
        byte[] out = new byte[size];
        int at = put(out, 0, OPEN);
        boolean first = true;
        for (DeliveredKey key : batch.keys()) {
            if (!first) {
                out[at++] = ',';
            }
            first = false;
            at = put(out, at, KEY_ID);
            at = put(out, at, ascii(key.keyId().toString()));
            at = put(out, at, KEY);
            byte[] encoded = base64.encode(key.material());
            at = put(out, at, encoded);
            Arrays.fill(encoded, (byte) 0);
            at = put(out, at, CLOSE_KEY);
        }
        at = put(out, at, CLOSE);
        if (at != out.length) {
            Arrays.fill(out, (byte) 0);
            throw new IllegalStateException("key container size mismatch");
        }
        return out;
    }

    private static int base64Length(int bytes) {
        return 4 * ((bytes + 2) / 3);
    }

    private static int put(byte[] out, int at, byte[] part) {
        System.arraycopy(part, 0, out, at, part.length);
        return at + part.length;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
