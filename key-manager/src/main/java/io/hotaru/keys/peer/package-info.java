/**
 * The classical channel between two key managers over Netty: 4-byte length-prefixed frames of the
 * message codec, optional mutual TLS 1.3 from PEM files, and a blocking {@link
 * io.hotaru.keys.distill.protocol.PeerTransport} with timeouts. Every failure is a {@link
 * io.hotaru.keys.peer.PeerTransportException}; a bad, oversized or unread frame closes the
 * connection. Sessions always run over an {@link
 * io.hotaru.keys.distill.auth.AuthenticatedTransport} on top of it.
 *
 * <pre>{@code
 * PeerConfig config = PeerConfig.defaults().withTls(new PeerTls(chainPem, keyPem, peerCaPem));
 * // Alice's node
 * PeerServer server = PeerServer.bind(new InetSocketAddress(port), config);
 * AuthenticatedTransport toBob = AuthenticatedTransport.alice(
 *         server.accept(Duration.ofMinutes(1)), aliceKeys, AuthConfig.defaults());
 * toBob.synchronize(1 << 20);
 * // Bob's node
 * PeerClient client = new PeerClient(config);
 * AuthenticatedTransport toAlice = AuthenticatedTransport.bob(
 *         client.connect("kme-alice.example.org", port), bobKeys, AuthConfig.defaults());
 * toAlice.synchronize(1 << 20);   // both ends, on every new connection, before the first block
 * }</pre>
 */
package io.hotaru.keys.peer;
