/**
 * Relay wires between processes: Netty with mutual TLS 1.3 and length framing ({@link
 * io.hotaru.keys.relay.net.NettyRelayWire}), listening ({@link io.hotaru.keys.relay.net.RelayListener})
 * and connecting ({@link io.hotaru.keys.relay.net.RelayConnector}). The only relay package that uses
 * Netty.
 */
package io.hotaru.keys.relay.net;
