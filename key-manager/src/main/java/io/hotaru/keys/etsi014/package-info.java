/**
 * ETSI GS QKD 014 key delivery over HTTPS with mutual TLS: the only package that knows its JSON.
 *
 * <p>{@link io.hotaru.keys.etsi014.Etsi014Server} routes and encodes; {@code KeyDeliveryService}
 * applies the rules (access list, limits, reservation sync with the peer KME, no existence oracle)
 * to the {@link io.hotaru.keys.store.KeyStore}.
 */
package io.hotaru.keys.etsi014;
