package io.hotaru.keys.distill.verify;

import io.hotaru.keys.distill.amplify.ToeplitzHash;
import io.hotaru.keys.distill.bits.PackedBits;

/**
 * Verification after error correction: both ends hash their key with a fresh Toeplitz matrix
 * (2-universal, collision probability 2^−tagBits) and compare. The tag bits count against the
 * key.
 */
public final class KeyVerifier {
    private KeyVerifier() {}

    /** Seed length in bits for a key of {@code keyBits} and a tag of {@code tagBits}. */
    public static int seedBits(int keyBits, int tagBits) {
        return ToeplitzHash.seedBits(keyBits, tagBits);
    }

    public static long[] tag(long[] key, int keyBits, long[] seed, int tagBits) {
        return ToeplitzHash.hash(key, keyBits, seed, tagBits);
    }

    /** Compares two tags without stopping at the first difference. */
    public static boolean matches(long[] expected, long[] actual, int tagBits) {
        if (expected.length != PackedBits.words(tagBits) || actual.length != expected.length) {
            return false;
        }
        return PackedBits.hammingDistance(expected, actual, tagBits) == 0;
    }
}
