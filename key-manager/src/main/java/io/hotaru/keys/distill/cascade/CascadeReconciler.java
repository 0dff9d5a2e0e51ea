package io.hotaru.keys.distill.cascade;

import io.hotaru.keys.distill.reconcile.ReconcileContext;
import io.hotaru.keys.distill.reconcile.ReconcileEndpoint;
import io.hotaru.keys.distill.reconcile.Reconciler;

/**
 * Cascade (Brassard–Salvail, EUROCRYPT '93): passes over shared random permutations, block
 * parities, binary search for an error in each block of odd error parity, and the cascade effect.
 * Alice answers parities, Bob corrects. Every parity Alice discloses counts as one leaked bit.
 */
public final class CascadeReconciler implements Reconciler {
    private final CascadeParameters parameters;
    // The block in progress: both ends of it when they run in one process. A session distils its
    // blocks one after the other, and the ends finish a block's Cascade before the next one's
    // permutations are drawn, so an older block's would only fill the heap (some 17 MB for 2^20
    // detections, which the node's old generation would then carry).
    private final PermutationCache permutations = new PermutationCache(1);

    public CascadeReconciler(CascadeParameters parameters) {
        this.parameters = parameters;
    }

    /** The original 4-pass Cascade. */
    public static CascadeReconciler original() {
        return new CascadeReconciler(CascadeParameters.original());
    }

    /**
     * A published variant by name: original, biconf, yanetal, option7, option8.
     *
     * @throws IllegalArgumentException for any other name
     */
    public static CascadeReconciler named(String variant) {
        return new CascadeReconciler(CascadeParameters.named(variant));
    }

    public CascadeParameters parameters() {
        return parameters;
    }

    @Override
    public String name() {
        return parameters.variant().label();
    }

    @Override
    public ReconcileEndpoint reference(long[] key, int length, ReconcileContext context) {
        return new CascadeResponder(key, length, parameters, context, permutations);
    }

    /** Draws the block's normal passes' permutations into the cache (they are public). */
    @Override
    public void prepare(long seed, int length) {
        for (int pass = 0; pass < parameters.passes(); pass++) {
            permutations.forPass(seed, pass, length);
        }
    }

    /** Blocks whose permutations are cached, for tests. */
    int blocksCached() {
        return permutations.blocksHeld();
    }

    @Override
    public ReconcileEndpoint corrector(long[] key, int length, ReconcileContext context) {
        return new CascadeCorrector(key, length, parameters, context, permutations);
    }
}
