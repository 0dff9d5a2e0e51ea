package io.hotaru.keys.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hotaru.keys.store.KeyManagerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    @TempDir
    static Path dir;

    static PkiFiles pki;

    @BeforeAll
    static void create() {
        PkiOptions options = PkiOptions.defaults().withValidity(Duration.ofDays(30));
        options = new PkiOptions(options.validity(), Clock.fixed(NOW, ZoneOffset.UTC), options.caName());
        pki = Pki.create(dir.resolve("pki"), List.of("kme-a"), List.of("sae-a", "sae-b"), options);
    }

    @Test
    void writesTheDocumentedLayoutWithPrivateFilesOwnerOnly() throws Exception {
        assertThat(mode(pki.caCertificate())).isEqualTo("rw-r--r--");
        assertThat(mode(pki.caPrivateKey())).isEqualTo("rw-------");
        assertThat(mode(pki.pkcs12Password())).isEqualTo("rw-------");
        for (CredentialFiles c : List.of(pki.kme("kme-a"), pki.sae("sae-a"), pki.sae("sae-b"))) {
            assertThat(mode(c.certificate())).isEqualTo("rw-r--r--");
            assertThat(mode(c.privateKey())).isEqualTo("rw-------");
            assertThat(mode(c.pkcs12())).isEqualTo("rw-------");
            assertThat(Files.readString(c.privateKey())).startsWith("-----BEGIN PRIVATE KEY-----");
        }
        assertThat(Files.readString(pki.readme()))
                .contains("curl --cacert ca.pem --cert sae-a.pem --key sae-a.key")
                .contains("/api/v1/keys/sae-b/enc_keys?number=1&size=256")
                .contains("sae-b.p12");
        assertThat(Pki.open(pki.dir(), List.of("kme-a"), List.of("sae-a", "sae-b")))
                .isEqualTo(pki);
    }

    @Test
    void certificatesCarryTheRightNamesUsagesAndValidity() throws Exception {
        X509Certificate ca = PemFiles.readCertificate(pki.caCertificate());
        X509Certificate kme = PemFiles.readCertificate(pki.kme("kme-a").certificate());
        X509Certificate sae = PemFiles.readCertificate(pki.sae("sae-b").certificate());

        assertThat(ca.getBasicConstraints()).isZero();
        kme.verify(ca.getPublicKey());
        sae.verify(ca.getPublicKey());
        assertThat(sae.getSubjectX500Principal().getName()).isEqualTo("CN=sae-b,O=Hotaru");
        assertThat(sae.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.2");
        assertThat(sae.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(sae.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(kme.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2");
        assertThat(kme.getSubjectAlternativeNames().stream().map(san -> String.valueOf(san.get(1))))
                .containsExactly("localhost", "127.0.0.1");
        assertThat(kme.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofHours(1)));
        assertThat(kme.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(30)));
    }

    @Test
    void issuesAnExpiredCertificateOnRequest() throws Exception {
        CredentialFiles old =
                Pki.issueSae(pki, "sae-old", NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1)));
        X509Certificate cert = PemFiles.readCertificate(old.certificate());
        assertThatThrownBy(() -> cert.checkValidity(Date.from(NOW))).isInstanceOf(CertificateExpiredException.class);
        assertThat(mode(old.privateKey())).isEqualTo("rw-------");
    }

    @Test
    void refusesToOverwriteAnExistingPkiAndBadIds() {
        assertThatThrownBy(() -> Pki.create(pki.dir(), List.of("kme-x"), List.of()))
                .isInstanceOf(KeyManagerException.class)
                .hasMessageContaining("already holds ca.pem");
        assertThatThrownBy(() -> Pki.create(dir.resolve("x"), List.of("a"), List.of("a")))
                .hasMessageContaining("must all differ");
        assertThatThrownBy(() -> Pki.create(dir.resolve("y"), List.of("../evil"), List.of()))
                .hasMessageContaining("must match");
    }

    @Test
    void buildsTlsContextsFromTheFiles() {
        assertThat(TlsContexts.kmeServer(pki, "kme-a").isServer()).isTrue();
        assertThat(TlsContexts.client(pki.sae("sae-a"), pki.caCertificate()).isClient())
                .isTrue();
        char[] password = pki.readPkcs12Password();
        assertThat(password).hasSize(24);
        assertThat(TlsContexts.jdkClient(pki.sae("sae-a"), password, pki.caCertificate())
                        .getProtocol())
                .isEqualTo("TLSv1.3");
    }

    @Test
    void aTlsProviderSettingNamesTheChoicesOrIsRefused() {
        assertThat(TlsContexts.choose("jdk")).isEqualTo(io.netty.handler.ssl.SslProvider.JDK);
        assertThat(TlsContexts.choose(""))
                .isIn(io.netty.handler.ssl.SslProvider.OPENSSL, io.netty.handler.ssl.SslProvider.JDK);
        assertThatThrownBy(() -> TlsContexts.choose("boring"))
                .isInstanceOf(KeyManagerException.class)
                .hasMessage("hotaru.tls.provider=boring is not a TLS provider; use openssl or jdk");
    }

    private static String mode(Path file) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }
}
