package io.hotaru.keys.distill;

/** The synthetic decoy-BB84 link of these tests, for tests in other packages. */
public final class SyntheticBlocks {
    private SyntheticBlocks() {}

    /** Both ends' records of one block: about {@code detections} detections at 2 % misalignment. */
    public record Block(BobBlock bob, EmissionLookup lookup) {}

    public static Block block(SourceSettings source, int detections, long seed) {
        SyntheticLink.Block b = new SyntheticLink(source, 0.3, 1e-4, 0.02)
                .block(seed, 1_000_000L * seed, detections, new SeededRandom(seed));
        return new Block(b.bob(), b.lookup());
    }
}
