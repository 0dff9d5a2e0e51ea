/**
 * Wegman–Carter authentication of the peer protocol (docs/adr/0004-wegman-carter.md): the
 * GF(2⁶⁴) {@link io.hotaru.keys.distill.auth.PolynomialHash}, {@link
 * io.hotaru.keys.distill.auth.WegmanCarter} tags bound to direction and sequence number, the key
 * pool they draw from, and {@link io.hotaru.keys.distill.auth.AuthenticatedTransport}, which
 * authenticates every message of an unchanged session. Pure: no I/O, clock or logging; a pool is
 * made durable through an {@link io.hotaru.keys.distill.auth.AuthKeyLedger} implemented by the key
 * store ({@code io.hotaru.keys.store.AuthKeyStore}, docs/adr/0011-durable-authentication-keys.md).
 *
 * <pre>{@code
 * AuthKeyPool keys = AuthKeyPool.bootstrap(preSharedSecret);   // same secret at both ends
 * Arrays.fill(preSharedSecret, (byte) 0);
 * AuthenticatedTransport channel = AuthenticatedTransport.alice(wire, keys, AuthConfig.defaults());
 * channel.synchronize(1 << 20);   // agree on the next unused key word with the peer
 * AuthAccount before = channel.account();
 * BlockOutcome outcome = new AliceSession(config, source, cascade, qrng, channel).distill(blockId, lookup);
 * long authBits = channel.account().minus(before).consumedBits();   // for the block's accounting
 * keys.deposit(slice of a distilled key, both ends the same);       // replenish
 * }</pre>
 */
package io.hotaru.keys.distill.auth;
