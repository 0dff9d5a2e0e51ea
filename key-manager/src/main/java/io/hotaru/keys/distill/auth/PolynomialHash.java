package io.hotaru.keys.distill.auth;

import java.util.Arrays;

/**
 * The polynomial-evaluation hash over GF(2⁶⁴) keyed by k: a message of n bytes is cut into L =
 * ⌈n/8⌉ big-endian 64-bit blocks m₁…m_L (the last one zero-padded) followed by the block m_{L+1} =
 * 8n, and
 *
 * <pre>
 *   h_k(M) = m₁·k^{L+1} + m₂·k^L + … + m_{L+1}·k     (Horner: a ← (a + mᵢ)·k)
 * </pre>
 *
 * <p>For M ≠ M′, h_k(M) − h_k(M′) is a non-zero polynomial in k of degree ≤ L+1 without constant
 * term, so for any c, Pr_k[h_k(M) − h_k(M′) = c] ≤ (L+1)/2⁶⁴: the family is ε-almost-XOR-universal
 * with ε = (⌈n/8⌉ + 1)/2⁶⁴ (see docs/adr/0004-wegman-carter.md).
 *
 * <p>Multiplication by k uses eight 256-entry tables of k·(byte·x^{8j}) (16 KiB, built once per key
 * from the sixteen 16-entry nibble tables); the tables are key material and are zeroed by {@link
 * #close()}. {@code update}/{@code doFinal}
 * as in Bouncy Castle's {@code Mac}; not thread-safe.
 */
public final class PolynomialHash implements AutoCloseable {
    private final long[] table = new long[8 * 256];
    private long accumulator;
    private long pending;
    private int pendingBytes;
    private long totalBytes;
    private boolean closed;

    public PolynomialHash(long key) {
        long[] low = {key, Gf64.timesX(key), Gf64.timesX(Gf64.timesX(key)), 0};
        low[3] = Gf64.timesX(low[2]);
        long[] nibbles = new long[16 * 16]; // k·(n·x^{4j}) at [16j + n]
        for (int n = 0; n < 16; n++) {
            long v = 0;
            for (int b = 0; b < 4; b++) {
                v ^= low[b] & -((n >>> b) & 1);
            }
            nibbles[n] = v;
        }
        for (int j = 1; j < 16; j++) {
            for (int n = 0; n < 16; n++) {
                long v = nibbles[(j - 1) * 16 + n];
                nibbles[j * 16 + n] = Gf64.timesX(Gf64.timesX(Gf64.timesX(Gf64.timesX(v))));
            }
        }
        for (int j = 0; j < 8; j++) {
            for (int n = 0; n < 256; n++) {
                table[(j << 8) | n] = nibbles[(2 * j) * 16 + (n & 15)] ^ nibbles[(2 * j + 1) * 16 + (n >>> 4)];
            }
        }
        Arrays.fill(nibbles, 0);
        Arrays.fill(low, 0);
    }

    /** m · k. */
    long timesKey(long m) {
        long[] t = table;
        return t[(int) (m & 0xFF)]
                ^ t[256 | (int) ((m >>> 8) & 0xFF)]
                ^ t[512 | (int) ((m >>> 16) & 0xFF)]
                ^ t[768 | (int) ((m >>> 24) & 0xFF)]
                ^ t[1024 | (int) ((m >>> 32) & 0xFF)]
                ^ t[1280 | (int) ((m >>> 40) & 0xFF)]
                ^ t[1536 | (int) ((m >>> 48) & 0xFF)]
                ^ t[1792 | (int) (m >>> 56)];
    }

    public void update(byte[] in, int off, int len) {
        if (closed) {
            throw new IllegalStateException("hash closed");
        }
        totalBytes += len;
        int i = off;
        int end = off + len;
        while (pendingBytes != 0 && i < end) {
            pending = (pending << 8) | (in[i++] & 0xFF);
            if (++pendingBytes == 8) {
                accumulator = timesKey(accumulator ^ pending);
                pending = 0;
                pendingBytes = 0;
            }
        }
        long a = accumulator;
        for (; i + 8 <= end; i += 8) {
            long block = ((long) (in[i] & 0xFF) << 56)
                    | ((long) (in[i + 1] & 0xFF) << 48)
                    | ((long) (in[i + 2] & 0xFF) << 40)
                    | ((long) (in[i + 3] & 0xFF) << 32)
                    | ((long) (in[i + 4] & 0xFF) << 24)
                    | ((in[i + 5] & 0xFF) << 16)
                    | ((in[i + 6] & 0xFF) << 8)
                    | (in[i + 7] & 0xFF);
            a = timesKey(a ^ block);
        }
        accumulator = a;
        while (i < end) {
            pending = (pending << 8) | (in[i++] & 0xFF);
            pendingBytes++;
        }
    }

    public void update(byte[] in) {
        update(in, 0, in.length);
    }

    /** The hash of everything since the last {@code doFinal}; then starts over with the same key. */
    public long doFinal() {
        long a = accumulator;
        if (pendingBytes != 0) {
            a = timesKey(a ^ (pending << (8 * (8 - pendingBytes))));
        }
        a = timesKey(a ^ (8 * totalBytes));
        accumulator = 0;
        pending = 0;
        pendingBytes = 0;
        totalBytes = 0;
        return a;
    }

    /** ε of the family for messages of up to {@code bytes} bytes: (⌈bytes/8⌉ + 1) / 2⁶⁴. */
    public static double epsilon(long bytes) {
        return ((bytes + 7) / 8 + 1) / 0x1p64;
    }

    /** Zeroes the key tables; the hash is unusable afterwards. */
    @Override
    public void close() {
        Arrays.fill(table, 0);
        accumulator = 0;
        pending = 0;
        closed = true;
    }
}
