package io.hotaru.keys.distill.reconcile;

/**
 * What both ends of a reconciliation share before it starts.
 *
 * @param blockId the block being reconciled
 * @param qberEstimate the QBER to plan for, estimated on the disclosed sample
 * @param seed public randomness Alice drew for this block (Cascade: the pass permutations)
 */
public record ReconcileContext(long blockId, double qberEstimate, long seed) {}
