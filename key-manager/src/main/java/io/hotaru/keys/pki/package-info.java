/**
 * Certificates of a QKD network: {@link io.hotaru.keys.pki.Pki#create} writes a CA, one
 * certificate per KME and one client certificate per SAE (CN = SAE ID) into a directory, with a
 * README; {@link io.hotaru.keys.pki.TlsContexts} builds mutual-TLS 1.3 contexts that trust that CA
 * only.
 */
package io.hotaru.keys.pki;
