package io.hotaru.keys.distill.sift;

import io.hotaru.keys.distill.bits.PackedBits;

/**
 * The public outcome of sifting one block, identical at both ends: which detections kept their
 * bit (bases matched), each one's intensity and basis, and the partition of the sifted bits into
 * the disclosed test set (every sifted bit of the test basis, all intensities) and the key input
 * (every sifted bit of the key basis, all intensities), as in Lim et al. 2014 (docs/adr/0001). The
 * key basis is the one the source chooses more often ({@code SourceSettings.keyBasis()}), so that
 * most sifted bits become key. Index lists refer to detection positions, ascending.
 */
public final class SiftedBlock {
    /** Basis value of Z. */
    public static final int Z = 0;

    /** Basis value of X. */
    public static final int X = 1;

    private static final int INTENSITIES = 3;

    private final int keyBasis;
    private final int detections;
    private final int[] detectedPerIntensity = new int[INTENSITIES];
    private final int[] siftedPerIntensity = new int[INTENSITIES];
    private final int[] disclosedPerIntensity = new int[INTENSITIES];
    private final int[] disclosedIntensity;
    private final int[] disclosed;
    private final int[] keyInput;
    private final int keyInputSize;
    private final int disclosedSize;

    /*
     * Both passes are branch-free in the sifting and basis outcomes, which are random: a branch on
     * each would be mispredicted about half the time, and it was a seventh of a 1 GHz node's CPU.
     */
    private SiftedBlock(byte[] intensities, byte[] bases, long[] siftedMask, int keyBasis) {
        this.keyBasis = keyBasis;
        detections = intensities.length;
        int key = 0;
        int sifted = 0;
        int invalid = 0;
        for (int i = 0; i < detections; i++) {
            int k = intensities[i];
            int b = bases[i];
            invalid |= (k | b) < 0 || k >= INTENSITIES || b > 1 ? 1 : 0;
            int s = PackedBits.get(siftedMask, i);
            sifted += s;
            key += s & ~(b ^ keyBasis);
        }
        if (invalid != 0) {
            throw new IllegalArgumentException(firstInvalid(intensities, bases));
        }
        int test = sifted - key;
        disclosed = new int[test + 1];
        disclosedIntensity = new int[test + 1];
        keyInput = new int[key + 1];
        int d = 0;
        int n = 0;
        for (int i = 0; i < detections; i++) {
            int k = intensities[i];
            int s = PackedBits.get(siftedMask, i);
            int isKey = s & ~(bases[i] ^ keyBasis);
            int isTest = s - isKey;
            detectedPerIntensity[k]++;
            siftedPerIntensity[k] += s;
            disclosedPerIntensity[k] += isTest;
            // Written at every detection, kept only where the counter moves; the spare last slot
            // takes the writes after the last kept one.
            keyInput[n] = i;
            n += isKey;
            disclosed[d] = i;
            disclosedIntensity[d] = k;
            d += isTest;
        }
        keyInputSize = key;
        disclosedSize = test;
    }

    /**
     * @param intensities Alice's announced intensity index for every detection
     * @param bases Bob's basis for every detection (0 = Z, 1 = X); where the bases matched it is
     *     also Alice's
     * @param siftedMask packed, one bit per detection: bases matched
     * @param keyBasis the basis whose sifted bits are the key input ({@link #Z} or {@link #X})
     */
    public static SiftedBlock of(byte[] intensities, byte[] bases, long[] siftedMask, int keyBasis) {
        if (keyBasis != Z && keyBasis != X) {
            throw new IllegalArgumentException("key basis not 0/1");
        }
        if (bases.length != intensities.length) {
            throw new IllegalArgumentException("bases do not match the detections");
        }
        if (siftedMask.length != PackedBits.words(intensities.length)) {
            throw new IllegalArgumentException("sifted mask does not match the detections");
        }
        int rest = intensities.length & 63;
        if (rest != 0 && (siftedMask[siftedMask.length - 1] >>> rest) != 0) {
            throw new IllegalArgumentException("sifted mask has bits past the detections");
        }
        return new SiftedBlock(intensities, bases, siftedMask, keyBasis);
    }

    /** Alice's side of sifting: one bit per detection, set where her basis equals Bob's. */
    public static long[] matchBases(byte[] aliceBases, byte[] bobBases) {
        if (aliceBases.length != bobBases.length) {
            throw new IllegalArgumentException("basis arrays differ in length");
        }
        long[] mask = new long[PackedBits.words(bobBases.length)];
        for (int i = 0; i < bobBases.length; i++) {
            int differ = aliceBases[i] ^ bobBases[i];
            long equal = ((differ | -differ) >>> 31) ^ 1;
            mask[i >>> 6] |= equal << (i & 63);
        }
        return mask;
    }

    /** The disclosed test-basis bits of one end, packed in detection order. */
    public long[] disclosedBits(byte[] bits) {
        return PackedBits.gather(bits, disclosed, disclosedSize);
    }

    /** The key-input bits of one end, packed in detection order. */
    public long[] keyInputBits(byte[] bits) {
        return PackedBits.gather(bits, keyInput, keyInputSize);
    }

    /** Errors per intensity between the two ends' disclosed bits. */
    public int[] disclosedErrors(long[] alice, long[] bob) {
        int[] errors = new int[INTENSITIES];
        for (int d = 0; d < disclosedSize; d++) {
            if (PackedBits.get(alice, d) != PackedBits.get(bob, d)) {
                errors[disclosedIntensity[d]]++;
            }
        }
        return errors;
    }

    /** The basis whose sifted bits are the key input; the other one's are disclosed. */
    public int keyBasis() {
        return keyBasis;
    }

    public int detections() {
        return detections;
    }

    public int detected(int intensity) {
        return detectedPerIntensity[intensity];
    }

    public int sifted(int intensity) {
        return siftedPerIntensity[intensity];
    }

    public int siftedTotal() {
        return siftedPerIntensity[0] + siftedPerIntensity[1] + siftedPerIntensity[2];
    }

    /** Sifted test-basis bits of the intensity, all disclosed. */
    public int disclosed(int intensity) {
        return disclosedPerIntensity[intensity];
    }

    public int disclosedTotal() {
        return disclosedSize;
    }

    /** Sifted key-basis bits, all intensities: n_X in Lim et al. */
    public int keyInputSize() {
        return keyInputSize;
    }

    private static String firstInvalid(byte[] intensities, byte[] bases) {
        for (int i = 0; i < intensities.length; i++) {
            if (intensities[i] < 0 || intensities[i] >= INTENSITIES) {
                return "intensity index out of range at " + i;
            }
            if ((bases[i] & ~1) != 0) {
                return "basis not 0/1 at " + i;
            }
        }
        throw new IllegalStateException("no invalid detection");
    }
}
