/**
 * Distillation of decoy-state BB84 blocks into final keys: the API the node agent calls.
 *
 * <p>Each end runs its session for a block: {@link io.hotaru.keys.distill.BobSession#distill}
 * with Bob's {@link io.hotaru.keys.distill.BobBlock}, {@link
 * io.hotaru.keys.distill.AliceSession#distill} with an {@link
 * io.hotaru.keys.distill.EmissionLookup} that returns what Alice emitted in the slots Bob reports.
 * Both return a {@link io.hotaru.keys.distill.BlockOutcome}: a key, or an abort reason, with the
 * same {@link io.hotaru.keys.distill.BlockReport} at both ends.
 *
 * <p>Message flow ({@link io.hotaru.keys.distill.protocol.DistillMessage}):
 *
 * <ol>
 *   <li>B → A {@code Detections}: detected slots and Bob's bases.
 *   <li>A → B {@code SiftAnnouncement}: matched bases, Alice's intensity per detection, Alice's
 *       bits of every sifted Z (test-basis) detection, the reconciliation seed; the sample mask is
 *       empty (every Z bit is disclosed, every X bit kept: docs/adr/0001-finite-key-estimation.md).
 *   <li>B → A {@code EstimationBits}: Bob's Z bits. Both ends now compute the same per-intensity
 *       counts and Z error counts, and abort alike when the signal QBER is above the threshold or
 *       the finite-key bound of Lim et al. 2014 leaves no key even before error correction.
 *   <li>Reconciliation: Cascade rounds of B → A {@code ParityRequest}, A → B {@code
 *       ParityResponse}; then B → A {@code ReconciliationComplete} with the leakage counted.
 *   <li>A → B {@code VerificationTag} (fresh Toeplitz seed, Alice's ⌈log₂(1/ε_cor)⌉-bit hash), B → A {@code
 *       VerificationResult}.
 *   <li>A → B {@code AmplificationSeed} (final length ℓ ≤ the finite-key bound, and the Toeplitz seed), B → A {@code
 *       Confirm}. Alice releases her key only after the confirmation.
 * </ol>
 *
 * <p>Either end may send {@code Abort} for an abort only it knows about; aborts decided from shared
 * data are taken by both ends without a message. All randomness is Alice's, from the injected
 * {@link io.hotaru.keys.distill.bits.RandomSource}. The packages below this one are pure
 * algorithms: no I/O, network, logging or clock.
 *
 * <pre>{@code
 * InMemoryTransport.Pair link = InMemoryTransport.pair();   // Netty + Wegman-Carter later
 * SourceSettings source = SourceSettings.of(0.4, 0.15, 0.4, 0.3, 0.3, 0.3);
 * DistillConfig config = DistillConfig.defaults();
 * Reconciler cascade = CascadeReconciler.original();
 * AliceSession alice = new AliceSession(config, source, cascade, qrng, link.alice());
 * BobSession bob = new BobSession(config, source, cascade, link.bob());
 * // Alice's node, on its own thread:  alice.distill(blockId, (id, first, end, slots) -> emissionsFor(slots));
 * BlockOutcome outcome = bob.distill(new BobBlock(blockId, first, end, slots, bases, bits));
 * if (outcome instanceof BlockOutcome.Distilled d) { store(d.key()); Arrays.fill(d.key(), (byte) 0); }
 * publish(outcome.report());
 * }</pre>
 */
package io.hotaru.keys.distill;
