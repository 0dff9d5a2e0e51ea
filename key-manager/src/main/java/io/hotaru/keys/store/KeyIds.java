package io.hotaru.keys.store;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * Derives key IDs identically on both ends of a link, so the two KMEs never ship IDs for link keys.
 *
 * <p>The ID is an RFC 9562 version-8 (name-based, SHA-256) UUID: the first 16 bytes of
 * SHA-256({@code "hotaru:key-id:v1"} || len(linkId) || linkId (UTF-8) || blockId || index), with the
 * version and variant bits set. Lengths and numbers are big-endian, so no two inputs collide by
 * concatenation.
 */
public final class KeyIds {
    private static final byte[] DOMAIN = "hotaru:key-id:v1".getBytes(StandardCharsets.US_ASCII);

    private KeyIds() {}

    public static UUID derive(String linkId, long blockId, int index) {
        byte[] link = linkId.getBytes(StandardCharsets.UTF_8);
        SHA256Digest digest = new SHA256Digest();
        digest.update(DOMAIN, 0, DOMAIN.length);
        digest.update(ByteBuffer.allocate(4).putInt(link.length).array(), 0, 4);
        digest.update(link, 0, link.length);
        ByteBuffer tail = ByteBuffer.allocate(12).putLong(blockId).putInt(index);
        digest.update(tail.array(), 0, 12);
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // variant 10
        ByteBuffer id = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(id.getLong(), id.getLong());
    }
}
