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
 *
 * <p>A relayed key (an end-to-end link's, ADR 0009) gets an ID that sorts by the time its relay
 * started ({@link #deriveRelayed}): an RFC 9562 version-7 UUID whose 48-bit timestamp is the
 * millisecond in its block number ({@link #relayedBlock}) and whose other 74 bits are a SHA-256 as
 * above, under its own domain and over the relay ID too: a block number sent with another relay's
 * ID names no key the store has. The two ends of the end-to-end link store such keys in
 * the order their IDs sort, so each key adds to the right edge of the store's key-ID index instead
 * of a random page of it (docs/adr/0003-key-sizes-and-ids.md, "Relayed keys").
 */
public final class KeyIds {
    private static final byte[] DOMAIN = "hotaru:key-id:v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RELAYED_DOMAIN = "hotaru:relayed-key-id:v1".getBytes(StandardCharsets.US_ASCII);
    /** Bits of a relayed block number below its millisecond: a 15-bit counter, then the source's side. */
    public static final int RELAYED_BLOCK_SUB_MS_BITS = 16;

    private KeyIds() {}

    public static UUID derive(String linkId, long blockId, int index) {
        byte[] hash =
                hash(DOMAIN, linkId, ByteBuffer.allocate(12).putLong(blockId).putInt(index));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x80); // version 8
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // variant 10
        ByteBuffer id = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(id.getLong(), id.getLong());
    }

    /**
     * The ID of unit {@code index} of the key of relay {@code relayId}, block {@code blockId} of
     * {@code linkId} (see {@link #relayedBlock}): version 7, unix_ts_ms = {@code blockId >>> 16},
     * the rest from SHA-256(domain || len(link) || link || blockId || relayId || index).
     */
    public static UUID deriveRelayed(String linkId, long blockId, long relayId, int index) {
        byte[] hash = hash(
                RELAYED_DOMAIN,
                linkId,
                ByteBuffer.allocate(20).putLong(blockId).putLong(relayId).putInt(index));
        long millis = blockId >>> RELAYED_BLOCK_SUB_MS_BITS;
        for (int i = 0; i < 6; i++) {
            hash[i] = (byte) (millis >>> (40 - 8 * i));
        }
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x70); // version 7
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80); // variant 10
        ByteBuffer id = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(id.getLong(), id.getLong());
    }

    /**
     * A relayed key's block number: the millisecond its relay started, a counter that tells apart the
     * relays of one millisecond (15 bits), and the side of the end-to-end link the source is on (the
     * last bit: 0 for the node whose ID sorts first), so that the two ends, each numbering the relays
     * it starts, never pick the same number.
     */
    public static long relayedBlock(long millis, int counter, int side) {
        if (millis < 0 || millis >= 1L << 47 || counter < 0 || counter >= 1 << 15 || (side & ~1) != 0) {
            throw new IllegalArgumentException(
                    "relayed block of ms " + millis + ", counter " + counter + ", side " + side);
        }
        return millis << RELAYED_BLOCK_SUB_MS_BITS | (long) counter << 1 | side;
    }

    private static byte[] hash(byte[] domain, String linkId, ByteBuffer tail) {
        byte[] link = linkId.getBytes(StandardCharsets.UTF_8);
        SHA256Digest digest = new SHA256Digest();
        digest.update(domain, 0, domain.length);
        digest.update(ByteBuffer.allocate(4).putInt(link.length).array(), 0, 4);
        digest.update(link, 0, link.length);
        digest.update(tail.array(), 0, tail.capacity());
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        return hash;
    }
}
