package io.hotaru.keys.relay;

import java.util.Random;

/**
 * Splits a key into k XOR shares: k − 1 uniformly random strings and their XOR with the key. Any
 * k − 1 shares are uniformly distributed and independent of the key; all k together give it back.
 * Pure; the caller supplies the randomness (a CSPRNG in a node).
 */
public final class XorShares {
    private XorShares() {}

    /** The shares of {@code key}; the caller zeroes them. */
    public static byte[][] split(byte[] key, int count, Random random) {
        if (count < 1) {
            throw new IllegalArgumentException("at least one share, not " + count);
        }
        byte[][] shares = new byte[count][];
        byte[] last = key.clone();
        for (int i = 0; i < count - 1; i++) {
            shares[i] = new byte[key.length];
            random.nextBytes(shares[i]);
            xorInto(last, shares[i]);
        }
        shares[count - 1] = last;
        return shares;
    }

    /** {@code target ^= other}, over the length of {@code target}. */
    public static void xorInto(byte[] target, byte[] other) {
        for (int i = 0; i < target.length; i++) {
            target[i] ^= other[i];
        }
    }
}
