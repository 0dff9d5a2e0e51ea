package io.hotaru.keys.distill;

import java.util.Arrays;

/**
 * A seeded decoy-BB84 link for tests: Poisson source, channel transmittance η, background yield
 * Y₀ and misalignment error e_d (the channel model of decoy-bb84-and-limits.md §1), passive basis
 * choice at Bob. Produces both ends' records of one block.
 */
final class SyntheticLink {
    private final SourceSettings source;
    private final double eta;
    private final double y0;
    private final double misalignment;

    record Block(BobBlock bob, AliceEmissions alice) {
        EmissionLookup lookup() {
            return (blockId, firstSlot, endSlot, detectedSlots) -> alice;
        }
    }

    SyntheticLink(SourceSettings source, double eta, double y0, double misalignment) {
        this.source = source;
        this.eta = eta;
        this.y0 = y0;
        this.misalignment = misalignment;
    }

    double detectionProbability(int k) {
        return y0 + 1 - Math.exp(-eta * source.intensity(k));
    }

    /** A block of as many slots as give about {@code detections} detections. */
    Block block(long blockId, long firstSlot, int detections, SeededRandom random) {
        double perSlot = 0;
        for (int k = 0; k < SourceSettings.INTENSITIES; k++) {
            perSlot += source.probability(k) * detectionProbability(k);
        }
        long slots = Math.round(detections / perSlot);
        int capacity = detections + 10 * (int) Math.sqrt(detections) + 100;
        long[] slotList = new long[capacity];
        byte[] intensities = new byte[capacity];
        byte[] aliceBases = new byte[capacity];
        byte[] aliceBits = new byte[capacity];
        byte[] bobBases = new byte[capacity];
        byte[] bobBits = new byte[capacity];
        int n = 0;
        for (long s = firstSlot; s < firstSlot + slots && n < capacity; s++) {
            double u = random.nextDouble();
            int k = u < source.probability(0) ? 0 : u < source.probability(0) + source.probability(1) ? 1 : 2;
            double signalClick = 1 - Math.exp(-eta * source.intensity(k));
            double click = random.nextDouble();
            if (click >= y0 + signalClick) {
                continue;
            }
            boolean dark = click < y0;
            int aBasis = random.nextDouble() < source.zBasisProbability() ? 0 : 1;
            int aBit = (int) (random.nextLong() & 1);
            int bBasis = random.nextDouble() < source.zBasisProbability() ? 0 : 1;
            int bBit;
            if (dark || aBasis != bBasis) {
                bBit = (int) (random.nextLong() & 1);
            } else {
                bBit = random.nextDouble() < misalignment ? aBit ^ 1 : aBit;
            }
            slotList[n] = s;
            intensities[n] = (byte) k;
            aliceBases[n] = (byte) aBasis;
            aliceBits[n] = (byte) aBit;
            bobBases[n] = (byte) bBasis;
            bobBits[n] = (byte) bBit;
            n++;
        }
        long[] detected = Arrays.copyOf(slotList, n);
        return new Block(
                new BobBlock(
                        blockId,
                        firstSlot,
                        firstSlot + slots,
                        detected,
                        Arrays.copyOf(bobBases, n),
                        Arrays.copyOf(bobBits, n)),
                new AliceEmissions(
                        detected.clone(),
                        Arrays.copyOf(intensities, n),
                        Arrays.copyOf(aliceBases, n),
                        Arrays.copyOf(aliceBits, n)));
    }
}
