/**
 * Satellite pass schedules for ground-station and payload links: pass prediction through the one
 * seam to the simulator's orbit code ({@link io.hotaru.agent.pass.OrbitPasses}), and orbit time
 * against the wall clock ({@link io.hotaru.agent.pass.PassClock}).
 */
package io.hotaru.agent.pass;
