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

    private SiftedBlock(byte[] intensities, byte[] bases, long[] siftedMask, int keyBasis) {
        this.keyBasis = keyBasis;
        detections = intensities.length;
        int test = 0;
        int key = 0;
        for (int i = 0; i < detections; i++) {
            int k = intensity(intensities, i);
            detectedPerIntensity[k]++;
            if (PackedBits.get(siftedMask, i) != 0) {
                siftedPerIntensity[k]++;
                if (basis(bases, i) != keyBasis) {
                    test++;
                } else {
                    key++;
                }
            }
        }
        disclosed = new int[test];
        disclosedIntensity = new int[test];
        keyInput = new int[key];
        int d = 0;
        key = 0;
        for (int i = 0; i < detections; i++) {
            if (PackedBits.get(siftedMask, i) == 0) {
                continue;
            }
            int k = intensities[i];
            if (bases[i] != keyBasis) {
                disclosedIntensity[d] = k;
                disclosed[d++] = i;
                disclosedPerIntensity[k]++;
            } else {
                keyInput[key++] = i;
            }
        }
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
            if (aliceBases[i] == bobBases[i]) {
                PackedBits.set(mask, i);
            }
        }
        return mask;
    }

    /** The disclosed test-basis bits of one end, packed in detection order. */
    public long[] disclosedBits(byte[] bits) {
        return PackedBits.gather(bits, disclosed);
    }

    /** The key-input bits of one end, packed in detection order. */
    public long[] keyInputBits(byte[] bits) {
        return PackedBits.gather(bits, keyInput);
    }

    /** Errors per intensity between the two ends' disclosed bits. */
    public int[] disclosedErrors(long[] alice, long[] bob) {
        int[] errors = new int[INTENSITIES];
        for (int d = 0; d < disclosed.length; d++) {
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
        return disclosed.length;
    }

    /** Sifted key-basis bits, all intensities: n_X in Lim et al. */
    public int keyInputSize() {
        return keyInput.length;
    }

    private static int intensity(byte[] intensities, int i) {
        int k = intensities[i];
        if (k < 0 || k >= INTENSITIES) {
            throw new IllegalArgumentException("intensity index out of range at " + i);
        }
        return k;
    }

    private static int basis(byte[] bases, int i) {
        int b = bases[i];
        if ((b & ~1) != 0) {
            throw new IllegalArgumentException("basis not 0/1 at " + i);
        }
        return b;
    }
}
