package io.hotaru.keys.etsi014;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.pki.CertificateAuthority;
import io.hotaru.keys.store.KeyManagerException;
import java.net.URI;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class SaeIdentityTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final CertificateAuthority CA =
            CertificateAuthority.create("test-ca", NOW, NOW.plus(Duration.ofDays(9)));

    private static X509Certificate sae(String cn, String uri) {
        return (uri == null
                        ? CA.issueSae(cn, NOW, NOW.plus(Duration.ofDays(1)))
                        : CA.issueSae(cn, URI.create(uri), NOW, NOW.plus(Duration.ofDays(1))))
                .certificate();
    }

    @Test
    void commonNameIsTheDefault() {
        assertThat(SaeIdentity.parse("cn")).isEqualTo(SaeIdentity.COMMON_NAME);
        assertThat(SaeIdentity.COMMON_NAME.saeId(sae("sae-a", "urn:hotaru:sae:other")))
                .hasValue("sae-a");
    }

    @Test
    void sanUriTakesWhatFollowsThePrefix() {
        SaeIdentity identity = SaeIdentity.parse("san-uri:urn:hotaru:sae:");
        assertThat(identity).isEqualTo(SaeIdentity.sanUri("urn:hotaru:sae:"));
        assertThat(identity.saeId(sae("cn-name", "urn:hotaru:sae:sae-b"))).hasValue("sae-b");
        assertThat(identity.saeId(sae("sae-b", null))).isEmpty();
        assertThat(identity.saeId(sae("sae-b", "urn:other:sae-b"))).isEmpty();
        assertThat(identity.saeId(sae("sae-b", "urn:hotaru:sae:"))).isEmpty();
    }

    @Test
    void sanUriWithoutPrefixIsTheWholeUri() {
        assertThat(SaeIdentity.parse("san-uri").saeId(sae("x", "spiffe://qkd.example/sae/7")))
                .hasValue("spiffe://qkd.example/sae/7");
    }

    @Test
    void anUnknownSettingIsAConfigurationError() {
        assertThatThrownBy(() -> SaeIdentity.parse("dns"))
                .isInstanceOf(KeyManagerException.class)
                .hasMessageContaining("cn, san-uri, san-uri:PREFIX");
    }
}
