package io.hotaru.agent.link;

import io.hotaru.drivers.Qrng;
import io.hotaru.keys.distill.bits.RandomSource;

/**
 * Public random choices of the distillation protocol (samples, hash seeds) drawn from the node's
 * QRNG, read in chunks. Not thread-safe: one per link end.
 */
public final class QrngRandomSource implements RandomSource {

    private final Qrng qrng;
    private final byte[] buffer = new byte[4096];
    private int position = buffer.length;

    public QrngRandomSource(Qrng qrng) {
        this.qrng = qrng;
    }

    @Override
    public long nextLong() {
        if (position + 8 > buffer.length) {
            qrng.nextBytes(buffer);
            position = 0;
        }
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (buffer[position + i] & 0xFFL);
        }
        position += 8;
        return v;
    }
}
