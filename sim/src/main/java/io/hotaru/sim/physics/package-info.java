/**
 * Pure physics of a simulated decoy-state BB84 link: weak coherent pulse source, fibre channel and
 * threshold detector, the analytic model of their gains and error rates, and a counter-based sampler
 * that regenerates any slot's state or detection from (seed, parameters) alone.
 *
 * <p>No I/O, no clocks, no logging, no hidden randomness: every result is a function of its
 * arguments. An ArchUnit test keeps it so.
 */
package io.hotaru.sim.physics;
