package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;

import io.hotaru.keys.pki.CredentialFiles;
import io.hotaru.keys.pki.Pki;
import io.hotaru.keys.pki.TlsContexts;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite of {@link Etsi014ServerIT} with the KMEs reading the SAE ID from the client
 * certificate's SAN URI {@code urn:hotaru:sae:ID}. Each SAE's certificate has a CN that names no SAE
 * ({@code san-ID}), so the suite passes only if the SAN URI is what identifies it.
 */
class Etsi014SanUriServerIT extends Etsi014ServerIT {
    static final String PREFIX = "urn:hotaru:sae:";

    /** Runs after the superclass's CN start-up, replacing those KMEs with SAN URI ones. */
    @BeforeAll
    static void startTwoKmes() throws IOException {
        start(SaeIdentity.sanUri(PREFIX), Etsi014SanUriServerIT::sanCredential);
    }

    private static CredentialFiles sanCredential(String saeId) {
        Instant now = Instant.now();
        return Pki.issueSae(
                pki,
                "san-" + saeId,
                URI.create(PREFIX + saeId),
                now.minus(Duration.ofHours(1)),
                now.plus(Duration.ofDays(1)));
    }

    @Test
    void aCertificateNamingTheSaeOnlyByCnIsRefused() throws Exception {
        Sae cnOnly = new Sae(TlsContexts.jdkClient(pki.sae("sae-a"), pki.readPkcs12Password(), pki.caCertificate()));
        assertThat(cnOnly.get(kmeA, "sae-b/status").statusCode()).isEqualTo(401);
        assertThat(cnOnly.get(kmeA, "sae-b/enc_keys").statusCode()).isEqualTo(401);
        assertThat(sae("sae-a").get(kmeA, "sae-b/status").statusCode()).isEqualTo(200);
    }

    @Test
    void aSanUriWithAnotherPrefixNamesNobody() throws Exception {
        Instant now = Instant.now();
        CredentialFiles foreign = Pki.issueSae(
                pki,
                "other-a",
                URI.create("spiffe://elsewhere/sae-a"),
                now.minus(Duration.ofHours(1)),
                now.plusSeconds(600));
        Sae other = new Sae(TlsContexts.jdkClient(foreign, pki.readPkcs12Password(), pki.caCertificate()));
        assertThat(other.get(kmeA, "sae-b/status").statusCode()).isEqualTo(401);
    }
}
