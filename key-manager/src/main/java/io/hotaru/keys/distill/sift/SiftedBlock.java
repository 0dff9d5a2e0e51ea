package io.hotaru.keys.distill.sift;

import io.hotaru.keys.distill.bits.PackedBits;

/**
 * The public outcome of sifting one block, identical at both ends: which detections kept their
 * bit (bases matched), each one's intensity, and the partition of the sifted bits into the
 * disclosed estimation set (the sample of the signal bits plus every decoy and vacuum bit) and the
 * key input (the rest of the signal bits). Index lists refer to detection positions, ascending.
 */
public final class SiftedBlock {
    private static final int SIGNAL = 0;
    private static final int INTENSITIES = 3;

    private final int detections;
    private final int[] detectedPerIntensity = new int[INTENSITIES];
    private final int[] siftedPerIntensity = new int[INTENSITIES];
    private final int[] disclosedPerIntensity = new int[INTENSITIES];
    private final int[] disclosedIntensity;
    private final int[] disclosed;
    private final int[] keyInput;
    private final int sampleSize;
    private final int siftedSignal;

    private SiftedBlock(byte[] intensities, long[] siftedMask, long[] sampleMask) {
        detections = intensities.length;
        int signalCount = 0;
        for (int i = 0; i < detections; i++) {
            int k = intensity(intensities, i);
            detectedPerIntensity[k]++;
            if (PackedBits.get(siftedMask, i) != 0) {
                siftedPerIntensity[k]++;
            }
        }
        siftedSignal = siftedPerIntensity[SIGNAL];
        if (sampleMask.length != PackedBits.words(siftedSignal)) {
            throw new IllegalArgumentException("sample mask does not match the sifted signal bits");
        }
        int sampled = 0;
        for (long w : sampleMask) {
            sampled += Long.bitCount(w);
        }
        if (siftedSignal > 0 && (sampleMask[sampleMask.length - 1] & ~tailMask(siftedSignal)) != 0) {
            throw new IllegalArgumentException("sample mask has bits past the sifted signal bits");
        }
        sampleSize = sampled;
        int siftedTotal = siftedPerIntensity[0] + siftedPerIntensity[1] + siftedPerIntensity[2];
        disclosed = new int[siftedTotal - (siftedSignal - sampleSize)];
        disclosedIntensity = new int[disclosed.length];
        keyInput = new int[siftedSignal - sampleSize];
        int d = 0;
        int key = 0;
        for (int i = 0; i < detections; i++) {
            if (PackedBits.get(siftedMask, i) == 0) {
                continue;
            }
            int k = intensities[i];
            boolean disclose = k != SIGNAL || PackedBits.get(sampleMask, signalCount++) != 0;
            if (disclose) {
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
     * @param siftedMask packed, one bit per detection: bases matched
     * @param sampleMask packed, one bit per sifted signal bit (in detection order): disclosed
     */
    public static SiftedBlock of(byte[] intensities, long[] siftedMask, long[] sampleMask) {
        if (siftedMask.length != PackedBits.words(intensities.length)) {
            throw new IllegalArgumentException("sifted mask does not match the detections");
        }
        return new SiftedBlock(intensities, siftedMask, sampleMask);
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

    /** Number of signal bits whose bases matched; the population the sample is drawn from. */
    public static int siftedSignal(byte[] intensities, long[] siftedMask) {
        int count = 0;
        for (int i = 0; i < intensities.length; i++) {
            if (intensities[i] == SIGNAL && PackedBits.get(siftedMask, i) != 0) {
                count++;
            }
        }
        return count;
    }

    /** The disclosed estimation bits of one end, packed in disclosure order. */
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

    public int disclosed(int intensity) {
        return disclosedPerIntensity[intensity];
    }

    public int disclosedTotal() {
        return disclosed.length;
    }

    public int sampleSize() {
        return sampleSize;
    }

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

    private static long tailMask(int bits) {
        int rest = bits & 63;
        return rest == 0 ? -1L : (1L << rest) - 1;
    }
}
