package io.hotaru.keys.distill.reconcile;

/**
 * An information-reconciliation scheme. Alice holds the reference key; Bob corrects his key in
 * place until it matches (or the scheme gives up; verification decides). The scheme talks through
 * {@link io.hotaru.keys.distill.protocol.DistillMessage.ReconcileMessage}s that the pipeline
 * forwards: interactive schemes (Cascade) as request/response rounds driven by Bob, one-way
 * schemes (LDPC syndrome) as messages Alice emits from {@link ReconcileEndpoint#start()}.
 */
public interface Reconciler {
    String name();

    /** Alice's end. Reads {@code key} (packed, {@code length} bits) and never modifies it. */
    ReconcileEndpoint reference(long[] key, int length, ReconcileContext context);

    /** Bob's end. Corrects {@code key} (packed, {@code length} bits) in place. */
    ReconcileEndpoint corrector(long[] key, int length, ReconcileContext context);

    /**
     * Does ahead the public work of a block whose reconciliation seed and key length are known,
     * so that it is off the protocol's path later: Alice calls it once she has announced the seed,
     * while Bob sifts and estimates. Changes no outcome; by default does nothing.
     */
    default void prepare(long seed, int length) {}
}
