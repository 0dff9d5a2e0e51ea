package io.hotaru.keys.distill.sift;

import io.hotaru.keys.distill.bits.PackedBits;

/**
 * The public outcome of sifting one block, identical at both ends: which detections kept their
 * bit (bases matched), each one's intensity and basis, and the partition of the sifted bits into
 * the disclosed test set (every sifted Z-basis bit, all intensities) and the key input (every
 * sifted X-basis bit, all intensities), as in Lim et al. 2014 (docs/adr/0001). Index lists refer
 * to detection positions, ascending.
 */
public final class SiftedBlock {
    /** Basis value of the test basis Z; X (1) is the key basis. */
    public static final int Z = 0;

    private static final int INTENSITIES = 3;

    private final int detections;
    private final int[] detectedPerIntensity = new int[INTENSITIES];
    private final int[] siftedPerIntensity = new int[INTENSITIES];
    private final int[] disclosedPerIntensity = new int[INTENSITIES];
    private final int[] disclosedIntensity;
    private final int[] disclosed;
    private final int[] keyInput;

    private SiftedBlock(byte[] intensities, byte[] bases, long[] siftedMask) {
        detections = intensities.length;
        int z = 0;
        int x = 0;
        for (int i = 0; i < detections; i++) {
            int k = intensity(intensities, i);
            detectedPerIntensity[k]++;
            if (PackedBits.get(siftedMask, i) != 0) {
                siftedPerIntensity[k]++;
                if (basis(bases, i) == Z) {
                    z++;
                } else {
                    x++;
                }
            }
        }
        disclosed = new int[z];
        disclosedIntensity = new int[z];
        keyInput = new int[x];
        int d = 0;
        int key = 0;
        for (int i = 0; i < detections; i++) {
            if (PackedBits.get(siftedMask, i) == 0) {
                continue;
            }
            int k = intensities[i];
            if (bases[i] == Z) {
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
     */
    public static SiftedBlock of(byte[] intensities, byte[] bases, long[] siftedMask) {
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
        return new SiftedBlock(intensities, bases, siftedMask);
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

    /** Sifted Z-basis bits of the intensity, all disclosed. */
    public int disclosed(int intensity) {
        return disclosedPerIntensity[intensity];
    }

    public int disclosedTotal() {
        return disclosed.length;
    }

    /** Sifted X-basis bits, all intensities: n_X. */
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
