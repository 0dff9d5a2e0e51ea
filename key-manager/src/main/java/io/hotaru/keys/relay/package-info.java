/**
 * Trusted-node key relay and routing (docs/adr/0005-trusted-node-relay.md).
 *
 * <p>{@link io.hotaru.keys.relay.RelayNode} relays an end-to-end key hop by hop as key ⊕ pad of
 * each hop's link key, commits it when the destination stores it, and rolls every hop back at both
 * ends otherwise; {@link io.hotaru.keys.relay.HopHandler} is what a node does with a neighbour's
 * message; {@link io.hotaru.keys.relay.RelayLedger} and {@link io.hotaru.keys.relay.RelayJournal}
 * keep the durable intents and outcomes; {@link io.hotaru.keys.relay.LinkStateTable} routes on
 * flooded link-state announcements. Each neighbour's {@link io.hotaru.keys.relay.RelayPeer} tags
 * every frame with Wegman–Carter ({@link io.hotaru.keys.relay.LinkAuthenticator}) over a {@link
 * io.hotaru.keys.relay.RelayWire}: Netty with mutual TLS between processes, {@link
 * io.hotaru.keys.relay.InMemoryWire} in one JVM.
 */
package io.hotaru.keys.relay;
