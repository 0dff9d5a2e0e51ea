package io.hotaru.keys.pki;

import io.hotaru.keys.store.KeyManagerException;
import io.hotaru.keys.store.KeyManagerException.Code;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS contexts built from a PKI directory. Only the network's CA is trusted and only TLS 1.3 is
 * spoken; servers require a client certificate.
 */
public final class TlsContexts {
    public static final String PROTOCOL = "TLSv1.3";

    private TlsContexts() {}

    /** The ETSI GS QKD 014 server context of a KME: mutual TLS required, trusting the CA only. */
    public static SslContext kmeServer(PkiFiles pki, String kmeId) {
        return server(pki.kme(kmeId), pki.caCertificate());
    }

    public static SslContext server(CredentialFiles credential, Path caCertificate) {
        try {
            return SslContextBuilder.forServer(
                            credential.certificate().toFile(),
                            credential.privateKey().toFile())
                    .trustManager(caCertificate.toFile())
                    .clientAuth(ClientAuth.REQUIRE)
                    .protocols(PROTOCOL)
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw failure(credential, e);
        }
    }

    /** A Netty client context presenting {@code credential} (SAE in tests, KME on KME-to-KME links). */
    public static SslContext client(CredentialFiles credential, Path caCertificate) {
        try {
            return SslContextBuilder.forClient()
                    .keyManager(
                            credential.certificate().toFile(),
                            credential.privateKey().toFile())
                    .trustManager(caCertificate.toFile())
                    .protocols(PROTOCOL)
                    .sslProvider(SslProvider.JDK)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw failure(credential, e);
        }
    }

    /** A JDK client context (for {@code java.net.http.HttpClient}) from the credential's PKCS#12 file. */
    public static SSLContext jdkClient(CredentialFiles credential, char[] pkcs12Password, Path caCertificate) {
        try (InputStream in = Files.newInputStream(credential.pkcs12())) {
            KeyStore p12 = KeyStore.getInstance("PKCS12");
            p12.load(in, pkcs12Password);
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(p12, pkcs12Password);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(keys.getKeyManagers(), trustOnly(caCertificate).getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw failure(credential, e);
        }
    }

    /** A JDK trust manager factory that trusts the CA certificate and nothing else. */
    public static TrustManagerFactory trustOnly(Path caCertificate) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", PemFiles.readCertificate(caCertificate));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            return factory;
        } catch (IOException | GeneralSecurityException e) {
            throw new KeyManagerException(Code.TLS, "cannot trust " + caCertificate + ": " + e.getMessage(), e);
        }
    }

    private static KeyManagerException failure(CredentialFiles credential, Exception e) {
        return new KeyManagerException(
                Code.TLS, "cannot build TLS context for " + credential.id() + ": " + e.getMessage(), e);
    }
}
